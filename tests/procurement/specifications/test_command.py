import hashlib

import pytest
from django.core.management import CommandError, call_command

from procurement.models import StampedSpecification
from procurement.specifications.enums import StampingSource
from tests.procurement.factories import MarketFactory
from tests.procurement.specifications import documents
from tests.procurement.specifications.helpers import full_text


def test_the_command_writes_the_stamped_document_and_records_it(works_market, tmp_path, capsys):
    source, target = tmp_path / "cctp.docx", tmp_path / "cctp-complete.docx"
    source.write_bytes(documents.without_placeholder())

    call_command(
        "stamp_specification",
        str(source),
        str(target),
        "--market",
        works_market.reference,
        "--organisation",
        works_market.organisation.slug,
        "--base-url",
        "https://egalite.example.org/",
    )

    content = target.read_bytes()
    text = full_text(content)
    assert "Politique d'égalité entre les femmes et les hommes de l'Agglomération A" in text
    assert "Article 1 bis. Installations sanitaires" in text
    assert f"https://egalite.example.org/annexe/{works_market.candidate_token}/" in text
    record = StampedSpecification.objects.get()
    assert record.source == StampingSource.COMMAND
    assert record.created_by is None
    assert record.output_sha256 == hashlib.sha256(content).hexdigest()
    assert record.source_sha256 == hashlib.sha256(source.read_bytes()).hexdigest()
    out = capsys.readouterr().out
    assert "Article 1 bis. Installations sanitaires" in out
    assert "à la fin de la section «\u00a0Article 1. Objet du marché\u00a0»" in out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cctp-complete.docx", "cctp.docx"]


def test_the_default_base_url_is_the_platform_setting(works_market, tmp_path, settings):
    settings.PLATFORM_BASE_URL = "https://plateforme.example"
    source, target = tmp_path / "in.docx", tmp_path / "out.docx"
    source.write_bytes(documents.minimal())

    call_command("stamp_specification", str(source), str(target), market=works_market.reference)

    assert f"https://plateforme.example/annexe/{works_market.candidate_token}/" in full_text(target.read_bytes())


def test_an_unknown_market_is_an_error(organisation, tmp_path):
    source = tmp_path / "in.docx"
    source.write_bytes(documents.minimal())

    with pytest.raises(CommandError, match="Aucun marché de « agglo-a » n'a la référence « INCONNU »"):
        call_command("stamp_specification", str(source), str(tmp_path / "out.docx"), market="INCONNU")

    assert not (tmp_path / "out.docx").exists()


def test_another_organisations_market_is_not_found(organisation, other_organisation, tmp_path):
    market_of_b = MarketFactory(organisation=other_organisation)
    source = tmp_path / "in.docx"
    source.write_bytes(documents.minimal())

    with pytest.raises(CommandError, match="n'a la référence"):
        call_command(
            "stamp_specification",
            str(source),
            str(tmp_path / "o.docx"),
            market=market_of_b.reference,
            organisation="agglo-a",
        )


def test_a_missing_input_file_is_an_error(works_market, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        missing, target = str(tmp_path / "absent.docx"), str(tmp_path / "o.docx")
        call_command("stamp_specification", missing, target, market=works_market.reference)
