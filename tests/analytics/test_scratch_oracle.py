import io, json
from django.core.management import call_command
from tests.procurement.factories import OrganisationFactory
from tests.analytics.test_reference_indicators import with_key

HEADER = ("Année;Structure;Tranche d'effectifs;SIREN;Raison Sociale;Nom UES;Entreprises UES (SIREN);Région;"
          "Département;Pays;Code NAF;Note Ecart rémunération;Note Ecart taux de promotion;"
          "Note Ecart taux d'augmentation;Note Retour congé maternité;Note Hautes rémunérations;Note Index")

def probe(tmp_path, slug, lines):
    OrganisationFactory(name="A", slug=slug)
    s1 = with_key("41000001")
    (tmp_path / "a.csv").write_text(f"siret;name;submitted_at;non_cadres_f\n{with_key(s1 + '0001')};S1;2025-03-01T10:00;60\n")
    call_command("import_annexes", str(tmp_path / "a.csv"), "--organisation", slug, stdout=io.StringIO())
    (tmp_path / "e.csv").write_text("\n".join([HEADER] + [l.format(s1=s1) for l in lines]) + "\n")
    call_command("import_egapro", str(tmp_path / "e.csv"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("indicators", "--year", "2025", "--organisation", slug, stdout=out)
    got = {e["key"]: (e["numerator"], e["denominator"]) for e in json.loads(out.getvalue())["annex"]}
    print(lines, got["index_published_share"], got["index_published_mean"])

def test_own_empty(tmp_path):
    probe(tmp_path, "p1", ["2024;Entreprise;50 à 250;{s1};S1;;;H;N;FRANCE;43;35;15;20;15;5;"])

def test_own_empty_ues(tmp_path):
    probe(tmp_path, "p2", ["2024;Entreprise;50 à 250;{s1};S1;;;H;N;FRANCE;43;35;15;20;15;5;",
                           "2024;Unité Economique et Sociale (UES);50 à 250;900000019;H;U;Membre ({s1});H;N;FRANCE;43;35;15;20;15;5;88"])

def test_ues_empty(tmp_path):
    probe(tmp_path, "p3", ["2024;Unité Economique et Sociale (UES);50 à 250;900000019;H;U;Membre ({s1});H;N;FRANCE;43;35;15;20;15;5;"])

def test_other_year(tmp_path):
    probe(tmp_path, "p4", ["2023;Entreprise;50 à 250;{s1};S1;;;H;N;FRANCE;43;35;15;20;15;5;80"])
