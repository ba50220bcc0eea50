"""The seeded datasets of tests/analytics/test_reference_indicators.py: the rows the reference reads
(tests/analytics/reference.py) and the import files that write the same rows (markets, annex responses, clause hours,
DECP contracts, the Egapro file), aimed at the edges of the definitions of docs/indicateurs.md."""

import copy
import csv
import datetime
import io
import random
from decimal import Decimal

import openpyxl

from tests.analytics import reference as ref

D = datetime.date
PERIODS = [(D(2025, 1, 1), D(2025, 12, 31)), (D(2024, 1, 1), D(2024, 12, 31)), (D(2024, 2, 29), D(2025, 2, 28))]
# Every bound of the periods and of the titulaires' windows (twelve months before each start): answers and
# notifications fall on either side of them.
BOUNDS = [
    D(2023, 1, 1),
    D(2023, 2, 28),
    D(2024, 1, 1),
    D(2024, 2, 29),
    D(2024, 3, 1),
    D(2025, 1, 1),
    D(2025, 3, 1),
    D(2026, 1, 1),
]
FIRST_DAY, LAST_DAY = D(2023, 1, 1), D(2025, 12, 31)
# The organisation's list of jobs (share of women, %), with shares on the default threshold (60) and on the one
# some seeds set (70): 60 % of women is female-dominated at 60, mixed at 70; 40 % is male-dominated at 60.
JOBS = {
    "Aide à domicile": Decimal(92),
    "Maçon": Decimal(4),
    "Jardinier": Decimal(50),
    "Secrétaire": Decimal(60),
    "Plombier": Decimal(40),
    "Couvreur": Decimal("29.99"),
}
JOB_SPELLINGS = {
    "Aide à domicile": ["Aide à domicile", "AIDE A DOMICILE", "aide  à  domicile"],
    "Maçon": ["Maçon", "MACON"],
    "Jardinier": ["Jardinier", "jardinier "],
    "Secrétaire": ["Secrétaire", "SECRETAIRE"],
    "Plombier": ["Plombier"],
    "Couvreur": ["couvreur"],
    "Peintre": ["Peintre"],  # not on the list: unknown when blank
}
CPV = {"travaux": "45210000-2", "services": "90910000-9", "fournitures": "30000000-9"}
SOCIAL = [
    None,
    ["Pas de considération sociale"],
    ["Clause sociale"],
    ["Critère social", "Marché réservé"],
    ["Pas de considération sociale", "Clause sociale"],
]
FRENCH_MARKETS = {
    "reference": "Référence",
    "title": "Objet",
    "market_type": "Type",
    "published_on": "Date de publication",
    "execution_start": "Début d'exécution",
    "execution_end": "Fin d'exécution",
    "insertion_hours_planned": "Heures d'insertion prévues",
}
FRENCH_ANNEX = {
    "siret": "SIRET",
    "name": "Nom de la structure",
    "submitted_at": "Date d'envoi",
    "cadres_f": "Cadres : femmes",
    "cadres_h": "Cadres : hommes",
    "cadres_nb": "Cadres : non binaire",
    "cadres_nsp": "Cadres : ne se prononce pas",
    "non_cadres_f": "Non cadres : femmes",
    "non_cadres_h": "Non cadres : hommes",
    "non_cadres_nb": "Non cadres : non binaire",
    "non_cadres_nsp": "Non cadres : ne se prononce pas",
    "has_board": "Conseil d'administration",
    "board_women_pct": "Part de femmes au CA (%)",
    "president": "Président·e",
    "secretary": "Secrétaire",
    "treasurer": "Trésorier·e",
    "volunteers_women_pct": "Part de femmes parmi les bénévoles (%)",
    "policy_text": "Politique interne",
    "index_score": "Index de l'égalité professionnelle",
}
COMMITMENT_TITLES = {
    "agreements": "Négociation d'accords",
    "action_plan": "Signature de plan d'actions",
    "training": "Organisation de formations en interne",
    "harassment_unit": "Cellule de traitement des violences sexistes et sexuelles au travail",
    "label": "Détention d'un label égalité",
    "partnerships": "Partenariats avec des structures spécialisées",
    "events": "Événements / communication",
    "other": "Autres",
}
FRENCH_ANNEX.update({f"commitment_{k}": f"Engagement : {t}" for k, t in COMMITMENT_TITLES.items()})
FRENCH_HOURS = {
    "market_reference": "Référence du marché",
    "participant_ref": "Identifiant participant·e",
    "sex": "Sexe",
    "birth_year": "Année de naissance",
    "employer_siret": "SIRET de l'employeur",
    "job_label": "Métier",
    "job_dominance": "Dominante du métier",
    "contract_type": "Type de contrat",
    "month": "Mois",
    "hours": "Heures",
}
STAFF_COLUMNS = [(f"{s}_{c.lower()}", s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES]
ROLE_SPELLINGS = {"F": ["F", "Femme"], "H": ["H", "Homme"], "NB": ["NB", "Non binaire"], "NSP": ["NSP"]}


def with_key(body: str) -> str:
    """`body` followed by the digit that makes a valid Luhn number."""
    return next(body + d for d in "0123456789" if luhn_ok(body + d))


def luhn_ok(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


class Dataset:
    """One seed's rows, as the reference reads them, and as the files write them."""

    def __init__(self, seed: int, style: str):
        self.rng = random.Random(seed)
        self.seed, self.style = seed, style
        self.buyer_siren = with_key(f"2159{seed % 10000:04d}")
        self.buyer_siret = with_key(self.buyer_siren + "0001")
        self.annex_lines: list[dict] = []
        self.annex: list[ref.AnnexRow] = []
        self.markets: list[ref.MarketRow] = []
        self.hours: list[ref.HoursRow] = []
        self.hours_lines: list[dict] = []
        self.decp: list[dict] = []
        self.stamped: set[str] = set()
        self._annex()
        self._egapro()
        self._markets()
        self._hours()
        self._decp()
        self._corrections()

    # helpers ---------------------------------------------------------------------------------------------------

    def day(self) -> D:
        if self.rng.random() < 0.3:
            bound = self.rng.choice(BOUNDS)
            return bound - datetime.timedelta(days=self.rng.choice([0, 1]))
        return FIRST_DAY + datetime.timedelta(days=self.rng.randrange((LAST_DAY - FIRST_DAY).days + 1))

    def french(self) -> bool:
        return self.style in ("csv-french", "xlsx-french")

    def decimal_text(self, value: Decimal) -> str:
        return str(value).replace(".", ",") if self.french() else str(value)

    def date_text(self, value: D) -> str:
        return value.strftime("%d/%m/%Y") if self.french() and self.rng.random() < 0.7 else value.isoformat()

    # annex -----------------------------------------------------------------------------------------------------

    def _moment(self) -> datetime.datetime:
        rng = self.rng
        if rng.random() < 0.1:  # a date alone: midnight, Paris time
            local = datetime.datetime.combine(rng.choice(BOUNDS), datetime.time(0, 0))
        elif rng.random() < 0.45:
            bound = rng.choice(BOUNDS)
            local = (
                datetime.datetime.combine(bound, datetime.time(0, 30, rng.randrange(60)))
                if rng.random() < 0.5
                else datetime.datetime.combine(
                    bound - datetime.timedelta(days=1), datetime.time(23, 30, rng.randrange(60))
                )
            )
        else:
            local = datetime.datetime.combine(
                self.day(), datetime.time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
            )
        return local.replace(tzinfo=ref.PARIS)

    def _moment_text(self, moment: datetime.datetime) -> str:
        choice = self.rng.random()
        if moment.time() == datetime.time(0, 0) and choice < 0.5:
            return moment.strftime("%d/%m/%Y") if self.french() else moment.date().isoformat()
        if moment.second == 0 and self.french() and choice < 0.7:
            return moment.strftime("%d/%m/%Y %H:%M")
        if choice < 0.2:  # in UTC
            return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return moment.strftime("%Y-%m-%dT%H:%M:%S") if choice < 0.7 else moment.strftime("%Y-%m-%d %H:%M:%S")

    def _staff(self) -> dict:
        rng = self.rng
        total = rng.choice([None, None, None, 49, 50, 50, 120])
        cells = [(s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES]
        staff = dict.fromkeys(cells, 0)
        if total is None:
            for cell in cells:
                staff[cell] = rng.randrange(25) if cell[1] in ("F", "H") else rng.choice([0, 0, 1, 2])
        else:
            for _ in range(total):
                staff[rng.choice(cells)] += 1
        return staff

    def _annex(self) -> None:
        rng = self.rng
        structures = []
        for n in range(rng.randrange(28, 42)):
            if rng.random() < 0.75:
                siren = with_key(f"{40000000 + self.seed * 1000 + n:08d}")
                sirets = [with_key(siren + f"{nic:04d}") for nic in rng.sample(range(1, 60), 2)]
                structures.append((f"Entreprise {self.seed}-{n}", sirets if rng.random() < 0.4 else sirets[:1]))
            else:
                base = rng.choice(["Atelier Élan", "Les Jardins d'Ève", "Coopérative Étoile"]) + f" {n}"
                spellings = [
                    base,
                    base.upper(),
                    "  " + base.replace(" ", "   ") + " ",
                    base.lower() + ".",
                    base + " !",
                    base.replace(" ", "-", 1),  # a hyphen separates words as a space does
                ]
                structures.append((spellings, []))
        self.structures = structures
        seen = set()
        for names, sirets in structures:
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                moment = self._moment()
                siret = rng.choice(sirets) if sirets else ""
                name = names if isinstance(names, str) else rng.choice(names)
                row = ref.AnnexRow(name=name, siret=siret, submitted_at=moment, staff=self._staff())
                key = (ref.structure_key(row), moment.replace(microsecond=0))
                if key in seen:
                    continue
                seen.add(key)
                self.annex_lines.append(self._answers(row))
                row.order = len(self.annex)
                self.annex.append(row)

    def _answers(self, row: ref.AnnexRow) -> dict:
        """Random answers for `row`, set on it; the line of the file that gives them."""
        rng = self.rng
        line = {"siret": row.siret, "name": row.name, "submitted_at": self._moment_text(row.submitted_at)}
        for column, scope, category in STAFF_COLUMNS:
            value = row.staff[(scope, category)]
            line[column] = "" if value == 0 and rng.random() < 0.5 else str(value)
        row.has_board = rng.choice([True, False, None])
        line["has_board"] = {True: rng.choice(["oui", "Oui"]), False: "non", None: ""}[row.has_board]
        if row.has_board is not False and rng.random() < 0.8:
            # Given without saying whether there is a board: not among « les structures qui en ont un ».
            pct = Decimal(rng.randrange(0, 10001)) / 100
            row.board_women_pct = pct
            line["board_women_pct"] = self.decimal_text(pct) + rng.choice(["", " %"])
        for role in ref.ROLES:
            choice = rng.choice([*ref.CATEGORIES, ref.NOT_APPLICABLE, None])
            row.roles[role] = choice
            if choice in ref.CATEGORIES:
                line[role] = rng.choice(ROLE_SPELLINGS[choice])
            else:
                line[role] = rng.choice(["sans objet", "Sans objet"]) if choice else ""
        if rng.random() < 0.6:
            row.volunteers_women_pct = Decimal(rng.randrange(0, 101))
            line["volunteers_women_pct"] = str(row.volunteers_women_pct)
        row.policy_text = rng.choice(["", "   ", "Plan d'action égalité", "Accord signé en 2024"])
        line["policy_text"] = row.policy_text
        row.index_score = rng.choice([74, 75, 84, 85, rng.randrange(101), ref.NOT_COMPUTABLE, None])
        line["index_score"] = {ref.NOT_COMPUTABLE: "non calculable", None: ""}.get(
            row.index_score, str(row.index_score)
        )
        for key in ref.COMMITMENTS:
            answer = rng.choice([True, False, None, None])
            row.commitments[key] = bool(answer)
            line[f"commitment_{key}"] = {True: "oui", False: "non", None: ""}[answer]
        return line

    # published index (Egapro) -----------------------------------------------------------------------------------

    def _egapro(self) -> None:
        """Lines for 2023 and 2024 (the years before the ends of the periods): a note, « NC » or none; some
        companies only through their UES, some with both their own line (which stands) and a UES."""
        rng = self.rng
        sirens = [sirets[0][:9] for _, sirets in self.structures if sirets]
        self.egapro: list[ref.EgaproRow] = []
        for siren in sirens:
            for year in (2023, 2024):
                if rng.random() < 0.45:
                    note = rng.choice([74, 75, 84, 85, rng.randrange(40, 101), ref.NOT_COMPUTABLE, None])
                    self.egapro.append(ref.EgaproRow(year, siren, note))
        for n in range(3):
            head = with_key(f"{90000000 + self.seed * 10 + n:08d}")
            members = tuple(rng.sample(sirens, min(3, len(sirens))))
            note = rng.choice([rng.randrange(40, 101), ref.NOT_COMPUTABLE])
            year = rng.choice([2023, 2024])
            self.egapro.append(ref.EgaproRow(year, head, note, members))
            if n == 0:  # a member with its own row of that year, without a note: its own row stands
                self.egapro = [e for e in self.egapro if (e.year, e.siren) != (year, members[0])]
                self.egapro.insert(0, ref.EgaproRow(year, members[0], None))

    def egapro_file(self, path) -> str:
        return egapro_file(self.egapro, path)

    # markets and hours ------------------------------------------------------------------------------------------

    def _markets(self) -> None:
        rng = self.rng
        for n in range(rng.randrange(25, 40)):
            market = ref.MarketRow(
                reference=f"M{self.seed}-{n:03d}", market_type=rng.choice(list(CPV)), published_on=self.day()
            )
            shape = rng.random()
            if shape < 0.75:
                start = self.day()
                edges = [
                    (start, start + datetime.timedelta(days=rng.randrange(30, 700))),
                    (start, D(2024, 12, 31)),
                    (D(2025, 12, 31), D(2026, 6, 30)),
                    (D(2024, 6, 1), D(2025, 1, 1)),
                    (D(2024, 2, 29), D(2024, 5, 31)),
                    (D(2023, 3, 1), D(2024, 2, 28)),
                ]
                market.execution_start, market.execution_end = rng.choice(edges)
                if market.execution_end < market.execution_start:
                    market.execution_end = market.execution_start
                market.planned_hours = Decimal(rng.choice([0, rng.randrange(1, 500000)])) / 100
            elif shape < 0.85:
                market.execution_start = self.day()
            self.markets.append(market)

    def _hours(self) -> None:
        rng = self.rng
        with_clause = [m for m in self.markets if m.planned_hours is not None]
        employers = [with_key(with_key(f"{30000000 + self.seed * 100 + n:08d}") + "0001") for n in range(6)]
        seen = set()
        for n in range(rng.randrange(32, 52)):
            person = f"P{self.seed}-{n:03d}"
            sex = rng.choice(["F", "F", "H", "H", "H", "NB", "NSP"])
            birth = str(rng.randrange(1960, 2006))
            for _ in range(rng.choice([1, 1, 2, 3])):
                market = rng.choice(with_clause)
                employer = rng.choice(employers)
                months = month_range(market.execution_start, market.execution_end)
                first = rng.randrange(len(months))
                run = months[first : first + rng.randrange(1, 6)]
                if rng.random() < 0.1:  # hours declared after the clause's end: imported, outside its completion
                    run.append(month_range(months[-1], months[-1] + datetime.timedelta(days=100))[-1])
                label = rng.choice(list(JOB_SPELLINGS))
                dominance = rng.choice([None, None, "female", "male", "mixed"])
                for index, month in enumerate(run):
                    if (person, market.reference, employer, month) in seen:
                        continue
                    seen.add((person, market.reference, employer, month))
                    if index == len(run) - 1 and index and rng.random() < 0.3:  # the latest month changes the job
                        label = rng.choice(list(JOB_SPELLINGS))
                        dominance = rng.choice([None, "female", "male"])
                    spelling = rng.choice(JOB_SPELLINGS[label])
                    hours = Decimal(rng.randrange(1, 15168)) / 100
                    self.hours.append(
                        ref.HoursRow(market.reference, person, sex, employer, spelling, dominance, month, hours)
                    )
                    self.hours_lines.append(
                        {
                            "market_reference": market.reference,
                            "participant_ref": person,
                            "sex": rng.choice({"F": ["F", "Femme", "f"], "H": ["H", "Homme"]}.get(sex, [sex])),
                            "birth_year": birth,
                            "employer_siret": employer,
                            "job_label": spelling,
                            "job_dominance": dominance or "",
                            "contract_type": rng.choice(["CDI", "CDDI", "interim"]),
                            "month": month.strftime("%m/%Y") if self.french() else month.strftime("%Y-%m"),
                            "hours": self.decimal_text(hours),
                        }
                    )

    # DECP ------------------------------------------------------------------------------------------------------

    def _decp(self) -> None:
        rng = self.rng
        answered = [with_key(sirets[0][:9] + "0099") for _, sirets in self.structures if sirets]
        others = [with_key(with_key(f"{60000000 + self.seed * 100 + n:08d}") + "0001") for n in range(12)]
        la_poste = next(
            f"35600000{n:06d}" for n in range(100000, 999999) if sum(map(int, f"35600000{n:06d}")) % 5 == 0
        )
        wrong_key = others[0][:-1] + str((int(others[0][-1]) + 1) % 10)

        def holder(kind=None):
            kind = (
                kind or rng.choices(["answered", "other", "poste", "wrong", "foreign", "siren"], [8, 5, 1, 1, 1, 1])[0]
            )
            if kind == "answered":
                return {"typeIdentifiant": "SIRET", "id": rng.choice(answered)}
            if kind == "other":
                return {"typeIdentifiant": "SIRET", "id": rng.choice(others)}
            if kind == "poste":
                return {"typeIdentifiant": "SIRET", "id": la_poste}
            if kind == "wrong":
                return {"typeIdentifiant": "SIRET", "id": wrong_key}
            if kind == "foreign":
                return rng.choice(
                    [{"typeIdentifiant": "TVA", "id": "DE123456789"}, {"typeIdentifiant": "HORS-UE", "id": "US-4521"}]
                )
            return {"typeIdentifiant": "SIRET", "id": rng.choice(answered)[:9]}

        def amount():
            choice = rng.random()
            if choice < 0.1:
                return None
            if choice < 0.35:
                return rng.randrange(1000, 900000) + rng.choice([0.125, 0.005, 0.995, 0.335, 0.5])
            if choice < 0.45:
                return f"{rng.randrange(1, 900)} {rng.randrange(1000):03d},{rng.randrange(100):02d}"
            return rng.randrange(1000, 900000)

        def holders():
            chosen = []
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                h = holder()
                if h not in chosen:
                    chosen.append(h)
            return chosen

        for n in range(rng.randrange(22, 45)):
            notified = self.day()
            if n == 7:  # a groupement of two establishments of one company, and one answered company
                record_holders = [holder("other"), holder("answered")]
                record_holders[0] = {"typeIdentifiant": "SIRET", "id": with_key(record_holders[1]["id"][:9] + "0055")}
            elif n == 8:  # no titulaire at all
                record_holders = []
            else:
                record_holders = holders()
            kind = rng.choice(list(CPV))
            record = {
                "id": f"{self.seed}-{n:03d}",
                "acheteur": {"id": self.buyer_siret},
                "nature": "Marché",
                "objet": f"Marché {n}",
                "codeCPV": CPV[kind],
                "procedure": "Appel d'offres ouvert",
                "dureeMois": 12,
                "dateNotification": notified.isoformat(),
                "datePublicationDonnees": notified.isoformat(),
                "typeGroupementOperateurs": "Pas de groupement",
                "titulaires": [{"titulaire": h} for h in record_holders],
            }
            if len(record["titulaires"]) > 1:
                record["typeGroupementOperateurs"] = rng.choice(["Conjoint", "Solidaire"])
            value = amount()
            if value is not None:
                record["montant"] = value
            social = rng.choice(SOCIAL)
            if social is not None:
                record["considerationsSociales"] = {"considerationSociale": social}
            if rng.random() < 0.25:
                record["sousTraitanceDeclaree"] = True
                record["actesSousTraitance"] = [
                    {
                        "acteSousTraitance": {
                            "id": 1,
                            "sousTraitant": {"typeIdentifiant": "SIRET", "id": rng.choice(answered + others)},
                            "dureeMois": 6,
                            "dateNotification": notified.isoformat(),
                            "montant": 10000,
                            "variationPrix": "Ferme",
                            "datePublicationDonnees": notified.isoformat(),
                        }
                    }
                ]
            modifications = []
            for number in range(1, rng.choice([1, 1, 2, 3]) if rng.random() < 0.5 else 1):
                when = notified + datetime.timedelta(days=rng.randrange(1, 600))
                when = min(when, D(2026, 11, 30))
                modification = {
                    "id": number,
                    "dateNotificationModification": when.isoformat(),
                    "datePublicationDonneesModification": (
                        when + datetime.timedelta(days=rng.randrange(0, 90))
                    ).isoformat(),
                }
                if rng.random() < 0.6:
                    new = amount()
                    if new is not None:
                        modification["montant"] = new
                if rng.random() < 0.6 or "montant" not in modification:
                    modification["titulaires"] = [{"titulaire": h} for h in holders()]
                modifications.append({"modification": modification})
            if modifications:
                rng.shuffle(modifications)
                record["modifications"] = modifications
            self.decp.append(record)
        self.generated_contracts = len(self.decp)
        # Companies whose only answer falls on the first day of a titulaires' window (twelve months before the start
        # of a period, the 29th of February giving the 28th), at 00:30 Paris time, or on the day before at 23:30:
        # in the window and just out of it.
        edges = [
            (datetime.datetime(2024, 1, 1, 0, 30), D(2025, 6, 2)),
            (datetime.datetime(2023, 12, 31, 23, 30), D(2025, 6, 3)),
            (datetime.datetime(2023, 2, 28, 0, 30), D(2024, 3, 15)),
            (datetime.datetime(2023, 2, 27, 23, 30), D(2024, 3, 16)),
        ]
        for n, (local, notified) in enumerate(edges):
            siren = with_key(f"{70000000 + self.seed * 10 + n:08d}")
            row = ref.AnnexRow(
                name=f"Titulaire {n}",
                siret=with_key(siren + "0001"),
                submitted_at=local.replace(tzinfo=ref.PARIS),
                staff=self._staff(),
                order=len(self.annex),
            )
            self.annex_lines.append(self._answers(row))
            self.annex.append(row)
            holder_siret = with_key(siren + "0002")
            self.decp.append(
                dict(
                    self.decp[0],
                    id=f"EDGE-{n}",
                    dateNotification=notified.isoformat(),
                    datePublicationDonnees=notified.isoformat(),
                    montant=10000 + n,
                    titulaires=[{"titulaire": {"typeIdentifiant": "SIRET", "id": holder_siret}}],
                )
            )
            self.decp[-1].pop("modifications", None)
        # A contract whose id is the reference of an imported market: it completes that market (its publication
        # date stays), and one whose two modifications of the same day apply in the order of their numbers.
        self.decp.append(dict(self.decp[3], id=self.markets[0].reference, dateNotification="2025-02-03"))
        self.decp[-1].pop("modifications", None)
        same_day = {"dateNotificationModification": "2025-09-01", "datePublicationDonneesModification": "2026-01-10"}
        self.decp.append(
            dict(
                self.decp[4],
                id="SAME-DAY",
                dateNotification="2025-04-01",
                montant=50000,
                modifications=[
                    {"modification": {"id": 2, **same_day, "montant": 61000.5}},
                    {
                        "modification": {
                            "id": 1,
                            **same_day,
                            "montant": 59000,
                            "titulaires": self.decp[5]["titulaires"],
                        }
                    },
                ],
            )
        )
        # The same contract published twice (the second without its modifications), another contract under an id
        # already used, and a contract of another buyer.
        twice = dict(self.decp[0])
        twice.pop("modifications", None)
        twice["datePublicationDonnees"] = self.decp[0]["dateNotification"]
        reused = dict(self.decp[1], dateNotification="2025-06-15", datePublicationDonnees="2025-06-15", montant=1234)
        reused.pop("modifications", None)
        foreign_buyer = dict(self.decp[2], acheteur={"id": with_key(with_key("21620999") + "0001")}, id="ELSEWHERE")
        self.decp += [twice, reused, foreign_buyer]

    # second files, imported after the first ones ---------------------------------------------------------------

    def _corrections(self) -> None:
        """Some responses imported again (same structure, same instant, perhaps written another way: the same
        response, its answers replaced) and some monthly hours imported again (their hours, job and dominance
        replaced)."""
        rng = self.rng
        self.annex_corrections = []
        for index in rng.sample(range(len(self.annex)), 10):
            old = self.annex[index]
            row = ref.AnnexRow(
                name=old.name, siret=old.siret, submitted_at=old.submitted_at, staff=self._staff(), order=old.order
            )
            self.annex_corrections.append(self._answers(row))
            self.annex[index] = row
        self.hours_corrections = []
        for index in rng.sample(range(len(self.hours)), 15):
            row, line = self.hours[index], dict(self.hours_lines[index])
            row.hours = Decimal(rng.randrange(1, 15168)) / 100
            row.job_label = rng.choice([spelling for spellings in JOB_SPELLINGS.values() for spelling in spellings])
            row.job_dominance = rng.choice([None, "female", "male", "mixed"])
            line.update(
                hours=self.decimal_text(row.hours), job_label=row.job_label, job_dominance=row.job_dominance or ""
            )
            self.hours_corrections.append(line)
        # Contracts published again with one more modification (notified up to November 2026): the second DECP
        # file updates their markets.
        self.decp_updates = []
        answered = [k for k, (_, sirets) in enumerate(self.structures) if sirets]
        for index in rng.sample(range(6, self.generated_contracts), 5):
            record = copy.deepcopy(self.decp[index])
            modifications = record.setdefault("modifications", [])
            notified = D.fromisoformat(record["dateNotification"])
            when = min(notified + datetime.timedelta(days=rng.randrange(200, 900)), D(2026, 11, 30))
            modification = {
                "id": len(modifications) + 1,
                "dateNotificationModification": when.isoformat(),
                "datePublicationDonneesModification": when.isoformat(),
                "montant": rng.randrange(1000, 900000) + 0.005,
            }
            if rng.random() < 0.7:
                modification["titulaires"] = [
                    {"titulaire": {"typeIdentifiant": "SIRET", "id": with_key(self.structures[k][1][0][:9] + "0077")}}
                    for k in rng.sample(answered, 2)
                ]
            modifications.append({"modification": modification})
            self.decp[index] = record
            self.decp_updates.append(record)

    # files -----------------------------------------------------------------------------------------------------

    def write(self, lines: list[dict], columns: list[str], french: dict, path) -> str:
        return write_file(lines, columns, french, path, self.style)

    def buyer(self) -> ref.Buyer:
        return ref.Buyer(self.buyer_siren, self.markets, self.decp, self.stamped)

    def reference(self, start: D, end: D, threshold: int, *, others: tuple = ()) -> dict:
        """Every indicator over [start, end] by the reference, with JOBS and the dominance threshold: of this
        buyer's rows, or of this buyer's and `others`' computed together."""
        datasets = (self, *others)
        return ref.all_indicators(
            annex=[row for data in datasets for row in data.annex],
            hours=[row for data in datasets for row in data.hours],
            buyers=[data.buyer() for data in datasets],
            egapro=self.egapro,
            jobs={ref.normalised_label(k): v for k, v in JOBS.items()},
            threshold=Decimal(threshold),
            start=start,
            end=end,
        )

    def market_lines(self) -> list[dict]:
        return market_lines(self.markets, self.date_text, self.decimal_text)


def egapro_file(rows: list[ref.EgaproRow], path) -> str:
    """The Egapro file (« index-egalite-fh ») of `rows`; its path."""
    header = (
        "Année;Structure;Tranche d'effectifs;SIREN;Raison Sociale;Nom UES;Entreprises UES (SIREN);Région;"
        "Département;Pays;Code NAF;Note Ecart rémunération;Note Ecart taux de promotion;"
        "Note Ecart taux d'augmentation;Note Retour congé maternité;Note Hautes rémunérations;Note Index"
    )
    lines = [header]
    for n, row in enumerate(rows):
        note = {None: "", ref.NOT_COMPUTABLE: "NC"}.get(row.note, str(row.note))
        members = ", ".join(f"Membre, {k} ({siren})" for k, siren in enumerate(row.ues_members))
        structure = "Unité Economique et Sociale (UES)" if members else "Entreprise"
        ues_name = f"UES {n}" if members else ""
        lines.append(
            f"{row.year};{structure};50 à 250;{row.siren};Société {n};{ues_name};{members};Hauts-de-France;"
            f"Nord;FRANCE;43.99C;35;15;20;15;5;{note}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def write_file(lines: list[dict], columns: list[str], french: dict, path, style: str) -> str:
    """The import file of `lines` in `style` (csv-french, xlsx-french, csv-technical); its path."""
    header = [french[c] for c in columns] if style in ("csv-french", "xlsx-french") else columns
    rows = [[line.get(c, "") for c in columns] for line in lines]
    if style == "xlsx-french":
        path = path.with_suffix(".xlsx")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        workbook.save(path)
        return str(path)
    path = path.with_suffix(".csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if style == "csv-french" else ",", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return str(path)


def market_lines(markets: list[ref.MarketRow], date_text, decimal_text) -> list[dict]:
    lines = []
    for m in markets:
        lines.append(
            {
                "reference": m.reference,
                "title": f"Marché {m.reference}",
                "market_type": m.market_type,
                "published_on": date_text(m.published_on),
                "execution_start": date_text(m.execution_start) if m.execution_start else "",
                "execution_end": date_text(m.execution_end) if m.execution_end else "",
                "insertion_hours_planned": "" if m.planned_hours is None else decimal_text(m.planned_hours),
            }
        )
    return lines


def month_range(start: D, end: D) -> list[D]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


class HalfDataset:
    """A small hand-made dataset whose shares and means fall exactly on a half of the second decimal, to catch a
    rounding to even or through a float (0.125 is 0.125 as a float, 0.00125 × 100 is not): eight structures of 100
    staff (one woman among 16 cadres: 6,25 %; one woman among 800: 0,125 % → « 0,13 % »; 799 / 800 → « 99,88 % »),
    board shares averaging 12,505 % → « 12,51 % », volunteers averaging 0,125 % → « 0,13 % », index scores
    averaging 75,125 → « 75,13 », a presidency answered by two structures only (secret at the default threshold),
    a treasury answered by none (« — »); one market whose 800 hours, 1 by a woman, are 0,125 % of 640 000 planned."""

    style = "csv-french"
    buyer_siren = with_key("21599001")
    start, end = D(2025, 1, 1), D(2025, 12, 31)

    def __init__(self):
        self.annex: list[ref.AnnexRow] = []
        self.annex_lines: list[dict] = []
        scores = [74, 75, 84, 85, 70, 71, 72, 70]
        boards = [Decimal("12.54")] + [Decimal("12.50")] * 7
        for n in range(8):
            siret = with_key(with_key(f"5100000{n}") + "0001")
            staff = dict.fromkeys([(s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES], 0)
            staff[("cadres", "F" if n == 0 else "H")] += 1
            staff[("cadres", "H")] += 1
            staff[("non_cadres", "H")] = 98
            row = ref.AnnexRow(
                name=f"Structure {n}",
                siret=siret,
                submitted_at=datetime.datetime(2025, 6, n + 1, 10, 0, tzinfo=ref.PARIS),
                staff=staff,
                has_board=True,
                board_women_pct=boards[n],
                roles={"president": ("F", "H")[n] if n < 2 else None, "secretary": "F" if n == 0 else "H"},
                volunteers_women_pct=Decimal(1 if n == 0 else 0),
                policy_text="Plan d'action égalité" if n == 0 else "",
                index_score=scores[n],
                commitments={"agreements": n == 0},
                order=n,
            )
            self.annex.append(row)
            self.annex_lines.append(annex_line(row))
        self.markets = [
            ref.MarketRow("DEMI-001", "travaux", D(2025, 1, 1), D(2025, 1, 1), D(2025, 12, 31), Decimal(640000))
        ]
        self.hours, self.hours_lines = [], []
        # One hour by a woman, 799 by a man (at most 151,67 hours a month: over eight months).
        months = [("DEMI-P1", "F", D(2025, 3, 1), Decimal("1.00"))]
        months += [("DEMI-P2", "H", D(2025, m, 1), Decimal("100.00")) for m in range(3, 10)]
        months += [("DEMI-P2", "H", D(2025, 10, 1), Decimal("99.00"))]
        for person, sex, month, hours in months:
            row = ref.HoursRow("DEMI-001", person, sex, with_key("5109999900001"), "Peintre", None, month, hours)
            self.hours.append(row)
            self.hours_lines.append(
                {
                    "market_reference": row.market_reference,
                    "participant_ref": person,
                    "sex": sex,
                    "birth_year": "1990",
                    "employer_siret": row.employer_siret,
                    "job_label": row.job_label,
                    "job_dominance": "",
                    "contract_type": "CDDI",
                    "month": month.strftime("%m/%Y"),
                    "hours": str(hours).replace(".", ","),
                }
            )

    def market_lines(self) -> list[dict]:
        return market_lines(self.markets, lambda day: day.strftime("%d/%m/%Y"), lambda v: str(v).replace(".", ","))


def annex_line(row: ref.AnnexRow) -> dict:
    """The line of the French annex file that gives `row`'s answers, written plainly."""
    line = {
        "siret": row.siret,
        "name": row.name,
        "submitted_at": row.submitted_at.strftime("%d/%m/%Y %H:%M"),
        "has_board": {True: "oui", False: "non", None: ""}[row.has_board],
        "board_women_pct": "" if row.board_women_pct is None else str(row.board_women_pct).replace(".", ","),
        "volunteers_women_pct": "" if row.volunteers_women_pct is None else str(row.volunteers_women_pct),
        "policy_text": row.policy_text,
        "index_score": {ref.NOT_COMPUTABLE: "non calculable", None: ""}.get(row.index_score, str(row.index_score)),
    }
    for column, scope, category in STAFF_COLUMNS:
        line[column] = str(row.staff[(scope, category)])
    for role in ref.ROLES:
        answer = row.roles.get(role)
        line[role] = "sans objet" if answer == ref.NOT_APPLICABLE else answer or ""
    for key in ref.COMMITMENTS:
        line[f"commitment_{key}"] = "oui" if row.commitments.get(key) else "non"
    return line


class SmallDataset:
    """A small hand-made buyer whose figures fall under statistical secrecy (docs/indicateurs.md, « Secret
    statistique », default threshold 3) in every section, for two calendar years:

    - 2024: two structures answered (the staff shares and `staff_total` are secret), two participants (the hours
      and every share of hours are secret), four titulaires of whom one answered (its staff shares are secret);
    - 2025: four structures, a presidency answered by two, a board share given by two, two structures of 50 staff
      or more (secret); ten participants, among them one non-binary person and four men (the hours of both are
      secret, the women's are not); two titulaires of whom one answered (whether they answered is secret).
    """

    style = "csv-french"
    buyer_siren = with_key("21599002")
    years = (2024, 2025)

    def __init__(self):
        self.buyer_siret = with_key(self.buyer_siren + "0001")
        sirens = [with_key(f"5200000{n}") for n in range(4)]
        self.sirets = [with_key(siren + "0001") for siren in sirens]
        cells = [(s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES]
        staffs = [
            {("cadres", "F"): 20, ("cadres", "H"): 30, ("non_cadres", "F"): 40, ("non_cadres", "H"): 30},
            {("cadres", "F"): 5, ("cadres", "H"): 5, ("non_cadres", "F"): 20, ("non_cadres", "H"): 19},
            {("cadres", "NB"): 1, ("non_cadres", "F"): 6, ("non_cadres", "H"): 3},
            {("non_cadres", "F"): 4, ("non_cadres", "H"): 3, ("non_cadres", "NSP"): 1},
        ]
        staffs[1][("non_cadres", "NSP")] = 1
        answers = [
            # (structure, moment, president, secretary, board, board %, index, commitments)
            (0, datetime.datetime(2024, 6, 3, 10), "F", "F", True, Decimal("40.00"), 78, {"training": True}),
            (1, datetime.datetime(2024, 6, 4, 10), "H", "H", False, None, None, {}),
            (0, datetime.datetime(2025, 3, 3, 10), "H", "H", True, Decimal("30.00"), 70, {}),
            (0, datetime.datetime(2025, 9, 1, 10), "F", "F", True, Decimal("40.00"), 80, {"training": True}),
            (1, datetime.datetime(2025, 5, 6, 10), "H", "F", True, Decimal("25.50"), ref.NOT_COMPUTABLE, {}),
            (2, datetime.datetime(2025, 5, 7, 10), ref.NOT_APPLICABLE, "H", False, None, None, {"label": True}),
            (3, datetime.datetime(2025, 5, 8, 10), None, "NB", None, None, None, {}),
        ]
        self.annex, self.annex_lines = [], []
        for order, (n, moment, president, secretary, board, pct, score, commitments) in enumerate(answers):
            row = ref.AnnexRow(
                name=f"Structure {n}",
                siret=self.sirets[n],
                submitted_at=moment.replace(tzinfo=ref.PARIS),
                staff={cell: staffs[n].get(cell, 0) for cell in cells},
                has_board=board,
                board_women_pct=pct,
                roles={"president": president, "secretary": secretary},
                volunteers_women_pct=Decimal(10 * (n + 1)),
                policy_text="Plan égalité" if n % 2 else "",
                index_score=score,
                commitments=commitments,
                order=order,
            )
            self.annex.append(row)
            self.annex_lines.append(annex_line(row))
        self.markets = [
            ref.MarketRow("PETIT-001", "travaux", D(2024, 1, 10), D(2024, 1, 1), D(2025, 12, 31), Decimal(2000)),
            ref.MarketRow("PETIT-002", "services", D(2025, 1, 20), D(2025, 2, 1), D(2025, 11, 30), Decimal(800)),
        ]
        employer = with_key(with_key("53000001") + "0001")
        people = [("F", 1), ("H", 1)]  # 2024
        months = [
            ("PETIT-001", f"P24-{n}", sex, D(2024, 3 + n, 1), Decimal("35.50") * (n + 1))
            for n, (sex, _) in enumerate(people)
        ]
        sexes = ["F"] * 5 + ["H"] * 4 + ["NB"]
        for n, sex in enumerate(sexes):  # 2025
            market = "PETIT-001" if n % 2 else "PETIT-002"
            months.append((market, f"P25-{n}", sex, D(2025, 2 + n, 1), Decimal(20 + 7 * n) + Decimal("0.25")))
        self.hours, self.hours_lines = [], []
        for market, person, sex, month, hours in months:
            dominance = {"H": "female", "F": "male"}.get(sex) if person.endswith(("1", "2")) else None
            row = ref.HoursRow(market, person, sex, employer, "Peintre", dominance, month, hours)
            self.hours.append(row)
            self.hours_lines.append(
                {
                    "market_reference": market,
                    "participant_ref": person,
                    "sex": sex,
                    "birth_year": "1990",
                    "employer_siret": employer,
                    "job_label": "Peintre",
                    "job_dominance": dominance or "",
                    "contract_type": "CDDI",
                    "month": month.strftime("%m/%Y"),
                    "hours": str(hours).replace(".", ","),
                }
            )
        others = [with_key(with_key(f"5400000{n}") + "0001") for n in range(2)]

        def contract(identifier, notified, amount, sirets):
            return {
                "id": identifier,
                "acheteur": {"id": self.buyer_siret},
                "nature": "Marché",
                "objet": f"Marché {identifier}",
                "codeCPV": CPV["services"],
                "procedure": "Appel d'offres ouvert",
                "dureeMois": 12,
                "dateNotification": notified.isoformat(),
                "datePublicationDonnees": notified.isoformat(),
                "typeGroupementOperateurs": "Conjoint" if len(sirets) > 1 else "Pas de groupement",
                "montant": amount,
                "considerationsSociales": {"considerationSociale": ["Clause sociale"]},
                "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": s}} for s in sirets],
            }

        self.decp = [
            contract("2024-T1", D(2024, 5, 2), 50000, [self.sirets[1], self.sirets[2], self.sirets[3], others[0]]),
            contract("2025-T1", D(2025, 3, 2), 100000, [with_key(sirens[0] + "0002"), others[1]]),
        ]

    def reference(self, year: int) -> dict:
        return ref.all_indicators(
            annex=self.annex,
            markets=self.markets,
            hours=self.hours,
            decp=self.decp,
            buyer_siren=self.buyer_siren,
            egapro=[],
            jobs={},
            threshold=Decimal(60),
            start=D(year, 1, 1),
            end=D(year, 12, 31),
        )

    def market_lines(self) -> list[dict]:
        return market_lines(self.markets, lambda day: day.strftime("%d/%m/%Y"), lambda v: str(v).replace(".", ","))
