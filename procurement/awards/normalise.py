"""One DECP record (any version, JSON or XML) -> a `Contract` of clean values, and the located report of its
deviations (« marché <id> : <champ> : raison »).

Real files deviate from the format almost always: amounts as text or 0, a 10-digit « SIRET », dates with a time
zone (2018-12-17+01:00), missing procedure or CPV, titulaires written three ways. Each deviation is reported and
the record kept whenever it stays usable; a record is set aside (`Contract.set_aside`) only when nothing
reliable would remain: a concession (not a market), no date at all.
"""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from procurement.awards import schema
from procurement.awards.enums import HolderRole, SocialConsideration
from procurement.awards.reader import CONCESSION, RawRecord
from procurement.cpv import REFERENCE, validate_cpv
from procurement.enums import MarketType, Procedure
from procurement.validators import is_ascii_digits, luhn_is_valid

V2 = "2.0"
V1 = "1.x"
# Keys only the format 2.0 has: a record with one of them is read as 2.0 (social considerations then known).
_V2_KEYS = {
    "considerationsSociales",
    "considerationsEnvironnementales",
    "typeGroupementOperateurs",
    "offresRecues",
    "marcheInnovant",
    "ccag",
    "attributionAvance",
    "sousTraitanceDeclaree",
    "actesSousTraitance",
    "idAccordCadre",
    "techniques",
    "modalitesExecution",
    "typesPrix",
}
# The largest amount the columns hold (16 digits, 2 decimals), beyond which a value is not a real amount.
AMOUNT_MAXIMUM = Decimal("99999999999999.99")
CENT = Decimal("0.01")
_DATE = re.compile(r"\s*([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ][0-9:.]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?\s*")
_TEST_RECORD = re.compile(r"\btest\b", re.IGNORECASE)

PROCEDURES = {
    "procédure adaptée": Procedure.MAPA,
    "appel d'offres ouvert": Procedure.OPEN,
    "appel d'offres restreint": Procedure.RESTRICTED,
    "procédure avec négociation": Procedure.NEGOTIATED,
    "procédure concurrentielle avec négociation": Procedure.NEGOTIATED,
    "procédure négociée avec mise en concurrence préalable": Procedure.NEGOTIATED,
    "dialogue compétitif": Procedure.COMPETITIVE_DIALOGUE,
    "marché passé sans publicité ni mise en concurrence préalable": Procedure.WITHOUT_NOTICE,
    "marché négocié sans publicité ni mise en concurrence préalable": Procedure.WITHOUT_NOTICE,
    "marché public négocié sans publicité ni mise en concurrence préalable": Procedure.WITHOUT_NOTICE,
}
_SOCIAL_VALUES = {value.lower(): value for value in SocialConsideration.values}


def market_type_for_cpv(cpv_digits: str) -> str:
    """The market type from the CPV division: 45 works; 03 to 44 and 48 supplies; 49 to 98 services; "" else."""
    if len(cpv_digits) < 2 or not is_ascii_digits(cpv_digits[:2]):  # « ²² » is digits too
        return ""
    division = int(cpv_digits[:2])
    if division == 45:
        return MarketType.TRAVAUX
    if 3 <= division <= 44 or division == 48:
        return MarketType.FOURNITURES
    if 49 <= division <= 98:
        return MarketType.SERVICES
    return ""


@dataclass(frozen=True)
class Party:
    """A company named by the DECP: its identifier as published and, for a SIRET, its SIREN."""

    identifier_type: str
    identifier: str
    name: str = ""
    siret: str = ""
    siren: str = ""


@dataclass(frozen=True)
class Subcontract:
    party: Party
    amount: Decimal | None
    notified_on: datetime.date | None


@dataclass
class Modification:
    notified_on: datetime.date | None
    amount: Decimal | None
    duration_months: int | None
    titulaires: list[Party] | None  # None: the modification does not change the titulaires

    def as_json(self) -> dict:
        return {
            "notified_on": self.notified_on.isoformat() if self.notified_on else None,
            "amount": str(self.amount) if self.amount is not None else None,
            "duration_months": self.duration_months,
            "titulaires": [party.identifier for party in self.titulaires] if self.titulaires is not None else None,
        }


@dataclass
class Contract:
    position: int
    schema_version: str
    decp_id: str = ""
    buyer_siret: str = ""
    buyer_name: str = ""
    nature: str = ""
    title: str = ""
    cpv_code: str = ""  # as published, spaces removed
    cpv_digits: str = ""
    procedure_label: str = ""
    procedure: str = ""
    notified_on: datetime.date | None = None
    data_published_on: datetime.date | None = None
    amount: Decimal | None = None
    # The initial amount as the merge key has always written it (to the cent, half to even), so that a contract
    # imported before amounts were rounded half up keeps its key: see `merge_key`.
    key_amount: Decimal | None = None
    duration_months: int | None = None
    place_code: str = ""
    place_type: str = ""
    place_name: str = ""
    social_considerations: list[str] | None = None
    groupement_type: str = ""
    titulaires: list[Party] = field(default_factory=list)
    subcontractors: list[Subcontract] = field(default_factory=list)
    modifications: list[Modification] = field(default_factory=list)
    report: list[str] = field(default_factory=list)
    set_aside: bool = False
    # Fields the official schema already reported: the reading does not report them a second time.
    flagged: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"marché {self.decp_id}" if self.decp_id else f"marché sans identifiant (n° {self.position} du fichier)"

    def deviation(self, field_name: str, reason: str, *, once: bool = False) -> None:
        """Reports a deviation of `field_name`; with `once`, not when the schema already reported that field."""
        if once and field_name in self.flagged:
            return
        self.report.append(f"{self.label} : {field_name} : {reason}")

    # After the modifications, in order: the latest titulaires, amount and duration win.
    def _after_modifications(self, name: str):
        value = getattr(self, name)
        for modification in self.modifications:
            if getattr(modification, name) is not None:
                value = getattr(modification, name)
        return value

    @property
    def current_titulaires(self) -> list[Party]:
        return self._after_modifications("titulaires")

    @property
    def current_amount(self) -> Decimal | None:
        return self._after_modifications("amount")

    @property
    def current_duration_months(self) -> int | None:
        return self._after_modifications("duration_months")

    @property
    def market_type(self) -> str:
        return market_type_for_cpv(self.cpv_digits)

    @property
    def place(self) -> str:
        if self.place_name and self.place_code:
            return f"{self.place_name} ({self.place_type or 'code'} {self.place_code})"
        if self.place_code:
            return f"{self.place_type or 'Code'} {self.place_code}".strip()
        return self.place_name

    @property
    def merge_key(self) -> str:
        """Buyer + id + notification date + initial titulaires + initial amount: the same contract published
        twice has one key; two contracts under one id have two."""
        parts = [
            self.buyer_siret,
            self.decp_id,
            self.notified_on.isoformat() if self.notified_on else "",
            ",".join(sorted(party.identifier for party in self.titulaires)),
            str(self.key_amount.normalize()) if self.key_amount is not None else "",
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    @property
    def content_hash(self) -> str:
        content = {
            "title": self.title,
            "nature": self.nature,
            "cpv": self.cpv_code,
            "procedure": self.procedure_label,
            "published": self.data_published_on.isoformat() if self.data_published_on else None,
            "duration": self.duration_months,
            "place": [self.place_code, self.place_type, self.place_name],
            "social": self.social_considerations,
            "groupement": self.groupement_type,
            "titulaires": [[p.identifier_type, p.identifier, p.name] for p in self.titulaires],
            "subcontractors": [
                [s.party.identifier, str(s.amount), s.notified_on.isoformat() if s.notified_on else None]
                for s in self.subcontractors
            ],
            "modifications": [m.as_json() for m in self.modifications],
            "names": sorted(p.name for p in self.current_titulaires),
        }
        if self.amount != self.key_amount:
            # Only an amount of more than 2 decimals ending in 5 (374 547,005 €), stored to the even cent before:
            # its contract changes, so that importing the file again corrects the market.
            content["amount"] = str(self.amount)
        return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def holders(self) -> list[tuple[str, Party, bool, bool, Subcontract | None]]:
        """(role, party, is_initial, is_current, subcontract) for each company, titulaires first."""
        initial = {party.identifier: party for party in self.titulaires}
        current = {party.identifier: party for party in self.current_titulaires}
        everyone = {**initial, **current}
        # A groupement as soon as the market names several titulaires, at its notification or later.
        role = HolderRole.GROUPEMENT_MEMBER if max(len(initial), len(current)) > 1 else HolderRole.TITULAIRE
        rows: list = [
            (role, party, identifier in initial, identifier in current, None) for identifier, party in everyone.items()
        ]
        seen: set[str] = set()
        for subcontract in self.subcontractors:
            if subcontract.party.identifier in seen:
                continue
            seen.add(subcontract.party.identifier)
            rows.append((HolderRole.SUBCONTRACTOR, subcontract.party, True, True, subcontract))
        return rows


# --- reading values --------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool | dict | list):
        return ""
    return str(value)


def _unwrap(value, key: str) -> list:
    """A list in any of its published shapes: [{"key": x}, …], {"key": [x, …]}, {"key": x}, [x, …], x."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        if key in value:
            return _unwrap(value[key], key)
        return [value]
    if isinstance(value, list):
        items: list = []
        for item in value:
            if isinstance(item, dict) and set(item) == {key}:
                items.extend(_unwrap(item[key], key))
            elif isinstance(item, list):
                items.extend(_unwrap(item, key))
            else:
                items.append(item)
        return items
    return [value]


def _date(contract: Contract, data: dict, key: str, *, required: bool) -> datetime.date | None:
    value = data.get(key)
    if value in (None, ""):
        if required:
            contract.deviation(key, "absente", once=True)
        return None
    match = _DATE.fullmatch(str(value))
    try:
        if match is None:
            raise ValueError(value)
        day = datetime.date.fromisoformat(match.group(1))
    except ValueError:
        contract.deviation(key, f"« {value} » n'est pas une date AAAA-MM-JJ : ignorée")
        return None
    if match.group(0).strip() != match.group(1):
        contract.deviation(key, f"« {value} » : date suivie d'une heure ou d'un fuseau, lue {day.isoformat()}")
    return day


def _amount(contract: Contract, value, key: str, *, is_xml: bool) -> Decimal | None:
    return _to_cent(_exact_amount(contract, value, key, is_xml=is_xml))


def _to_cent(amount: Decimal | None) -> Decimal | None:
    """The amount to the nearest cent, 0.005 up: the platform's one rounding rule (docs/indicateurs.md), never the
    banker's rounding of Decimal's default context, which would turn 374 547,005 € into 374 547,00 €."""
    return None if amount is None else amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _exact_amount(contract: Contract, value, key: str, *, is_xml: bool) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):  # a list, an object
        contract.deviation(key, f"« {value} » n'est pas un montant : ignoré")
        return None
    if isinstance(value, str):
        text = value.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".").replace("€", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            contract.deviation(key, f"« {value} » n'est pas un montant : ignoré")
            return None
        if not is_xml:
            contract.deviation(key, f"« {value} » : montant écrit en texte, lu {amount}", once=True)
    else:
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not amount.is_finite() or amount < 0 or amount > AMOUNT_MAXIMUM:
        contract.deviation(key, f"« {value} » n'est pas un montant plausible : ignoré")
        return None
    if amount == 0:
        contract.deviation(key, "montant nul : conservé, à vérifier")
    return amount


def _months(contract: Contract, value, key: str, *, is_xml: bool) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        if not number.is_finite() or number < 0 or number != number.to_integral_value() or number > 9999:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        contract.deviation(key, f"« {value} » n'est pas une durée en mois : ignorée")
        return None
    if isinstance(value, str) and not is_xml:
        contract.deviation(key, f"« {value} » : durée écrite en texte, lue {int(number)}", once=True)
    return int(number)


def _party(contract: Contract, value, key: str) -> Party | None:
    if not isinstance(value, dict):
        contract.deviation(key, f"« {_text(value) or value} » n'est pas un titulaire (identifiant et type) : ignoré")
        return None
    identifier = "".join(_text(value.get("id")).split()).replace(".", "")
    kind = _text(value.get("typeIdentifiant")).upper() or "SIRET"
    name = _text(value.get("denominationSociale") or value.get("nom"))[:300]
    if not identifier:
        contract.deviation(key, "titulaire sans identifiant : ignoré")
        return None
    siret = siren = ""
    # ASCII digits only: str.isdigit() also takes « ² » (luhn_is_valid's int() raised on it) and « ١ », « ７ ».
    if kind == "SIRET" or is_ascii_digits(identifier) and len(identifier) in (9, 14):
        if is_ascii_digits(identifier) and len(identifier) == 14:
            siret, siren = identifier, identifier[:9]
            if not (luhn_is_valid(identifier) or identifier.startswith("356000000")):
                contract.deviation(key, f"« {identifier} » : SIRET dont la clé de contrôle est incorrecte")
        elif is_ascii_digits(identifier) and len(identifier) == 9:
            siren = identifier
            contract.deviation(key, f"« {identifier} » : SIREN (9 chiffres) donné au lieu d'un SIRET")
        else:
            contract.deviation(
                key, f"« {identifier} » : un SIRET a 14 chiffres ; titulaire gardé sans SIREN, non rapprochable"
            )
    return Party(identifier_type=kind[:10], identifier=identifier[:40], name=name, siret=siret, siren=siren)


def _parties(contract: Contract, value, wrapper: str, key: str) -> list[Party]:
    parties: list[Party] = []
    seen: set[str] = set()
    for index, item in enumerate(_unwrap(value, wrapper), start=1):
        party = _party(contract, item, f"{key}[{index}]")
        if party is not None and party.identifier not in seen:
            seen.add(party.identifier)
            parties.append(party)
    return parties


# --- the record ------------------------------------------------------------------------------------------------


def detect_version(data: dict) -> str:
    if _V2_KEYS.intersection(data):
        return V2
    titulaires = data.get("titulaires")
    if isinstance(titulaires, dict) or (
        isinstance(titulaires, list)
        and titulaires
        and isinstance(titulaires[0], dict)
        and "titulaire" in titulaires[0]
    ):
        return V2
    return V1


def normalise(record: RawRecord) -> Contract:
    """The record's clean values and its located report."""
    data = record.data
    is_xml = record.file_format == "xml"
    version = V2 if is_xml else detect_version(data)
    contract = Contract(position=record.position, schema_version=version)
    contract.decp_id = _text(data.get("id"))[:100]
    if "__not_an_object__" in data:
        contract.deviation("marche", "l'élément de la liste n'est pas un objet : contrat écarté")
        contract.set_aside = True
        return contract
    if record.kind == CONCESSION:
        contract.deviation("_type", "contrat de concession, hors du champ des marchés : contrat écarté")
        contract.set_aside = True
        return contract

    # The official schema first: its reasons name the fields as the format does.
    issues = (
        schema.validate_xml_market(record.element) if is_xml else schema.validate_json_market(data, version=version)
    )
    for path, reason in issues:
        contract.deviation(path, reason)
        contract.flagged.add(path)

    buyer = data.get("acheteur")
    buyer_id = _text(buyer.get("id")) if isinstance(buyer, dict) else _text(data.get("acheteur.id") or buyer)
    contract.buyer_siret = "".join(buyer_id.split())[:20]
    contract.buyer_name = _text(buyer.get("nom")) if isinstance(buyer, dict) else ""
    contract.nature = _text(data.get("nature"))[:60]
    contract.title = _text(data.get("objet"))
    if not contract.decp_id:
        contract.deviation("id", "identifiant vide : le marché reçoit une référence construite")
    if _TEST_RECORD.search(contract.decp_id) or _TEST_RECORD.search(contract.title):
        contract.deviation("objet", "ressemble à un enregistrement de test publié : vérifiez-le")

    cpv = "".join(_text(data.get("codeCPV")).split()).replace(".", "")
    contract.cpv_code = cpv[:20]
    contract.cpv_digits = cpv[:8] if cpv[:8].isdigit() else ""
    if not cpv:
        contract.deviation("codeCPV", "absent : type de marché inconnu")
    elif not contract.market_type:
        contract.deviation("codeCPV", f"« {cpv} » : division CPV inconnue, type de marché inconnu")

    contract.procedure_label = _text(data.get("procedure"))[:120]
    if contract.procedure_label:
        contract.procedure = PROCEDURES.get(contract.procedure_label.lower(), Procedure.OTHER)
    else:
        contract.deviation("procedure", "absente", once=True)

    contract.notified_on = _date(contract, data, "dateNotification", required=True)
    contract.data_published_on = _date(contract, data, "datePublicationDonnees", required=False)
    if contract.notified_on is None and contract.data_published_on is None:
        contract.deviation("dateNotification", "aucune date de notification ni de publication : contrat écarté")
        contract.set_aside = True
        return contract
    if contract.notified_on is None:
        contract.deviation(
            "dateNotification", "marché importé sans date de notification : il ne compte dans aucune année"
        )

    published = _exact_amount(contract, data.get("montant"), "montant", is_xml=is_xml)
    if published is not None:
        contract.amount = _to_cent(published)
        contract.key_amount = published.quantize(CENT)  # half to even, as keys were always written
    contract.duration_months = _months(contract, data.get("dureeMois"), "dureeMois", is_xml=is_xml)

    place = data.get("lieuExecution")
    if isinstance(place, dict):
        contract.place_code = _text(place.get("code"))[:20]
        contract.place_type = _text(place.get("typeCode"))[:40]
        contract.place_name = _text(place.get("nom"))[:300]

    contract.groupement_type = _text(data.get("typeGroupementOperateurs"))[:30]
    contract.social_considerations = _social(contract, data, version)
    contract.titulaires = _parties(contract, data.get("titulaires"), "titulaire", "titulaires")
    if not contract.titulaires:
        contract.deviation("titulaires", "aucun titulaire lisible")
    if len(contract.titulaires) > 1 and contract.groupement_type == "Pas de groupement":
        contract.deviation(
            "typeGroupementOperateurs", "« Pas de groupement » avec plusieurs titulaires : lus comme un groupement"
        )
    contract.subcontractors = _subcontracts(contract, data.get("actesSousTraitance"), is_xml=is_xml)
    contract.modifications = _modifications(contract, data.get("modifications"), is_xml=is_xml)
    return contract


def _social(contract: Contract, data: dict, version: str) -> list[str] | None:
    if "considerationsSociales" not in data or data.get("considerationsSociales") in (None, "", [], {}):
        if version == V2:
            contract.deviation("considerationsSociales", "absentes : considérations sociales inconnues")
        return None
    values: list[str] = []
    for item in _unwrap(data.get("considerationsSociales"), "considerationSociale"):
        for part in str(item).split(",") if isinstance(item, str) else [item]:
            known = _SOCIAL_VALUES.get(_text(part).lower())
            if known is None:
                contract.deviation(
                    "considerationsSociales", f"« {_text(part)} » n'est pas une valeur du format : ignorée"
                )
            elif known not in values:
                values.append(known)
    if SocialConsideration.NONE in values and len(values) > 1:
        contract.deviation(
            "considerationsSociales",
            "« Pas de considération sociale » avec d'autres valeurs : les autres sont gardées",
        )
        values.remove(SocialConsideration.NONE)
    return values or None


def _subcontracts(contract: Contract, value, *, is_xml: bool) -> list[Subcontract]:
    result: list[Subcontract] = []
    for index, item in enumerate(_unwrap(value, "acteSousTraitance"), start=1):
        key = f"actesSousTraitance[{index}]"
        if not isinstance(item, dict):
            contract.deviation(key, "acte de sous-traitance illisible : ignoré")
            continue
        party = _party(contract, item.get("sousTraitant"), f"{key}.sousTraitant")
        if party is None:
            continue
        amount = _amount(contract, item.get("montant"), f"{key}.montant", is_xml=is_xml)
        notified = _date(contract, item, "dateNotification", required=False)
        result.append(Subcontract(party=party, amount=amount, notified_on=notified))
    return result


def _modifications(contract: Contract, value, *, is_xml: bool) -> list[Modification]:
    entries: list[tuple[tuple, Modification]] = []
    for index, item in enumerate(_unwrap(value, "modification"), start=1):
        key = f"modifications[{index}]"
        if not isinstance(item, dict):
            contract.deviation(key, "modification illisible : ignorée")
            continue
        notified = _date(contract, item, "dateNotificationModification", required=False)
        published = _date(contract, item, "datePublicationDonneesModification", required=False)
        titulaires = None
        if item.get("titulaires") not in (None, "", [], {}):
            titulaires = _parties(contract, item.get("titulaires"), "titulaire", f"{key}.titulaires") or None
        modification = Modification(
            notified_on=notified,
            amount=_amount(contract, item.get("montant"), f"{key}.montant", is_xml=is_xml),
            duration_months=_months(contract, item.get("dureeMois"), f"{key}.dureeMois", is_xml=is_xml),
            titulaires=titulaires,
        )
        try:
            order_id = int(str(item.get("id")))
        except ValueError:
            order_id = index
        # In order of notification (1.x modifications have no id), then of id, then as listed.
        day = notified or published or datetime.date.min
        entries.append(((day, order_id, index), modification))
    entries.sort(key=lambda entry: entry[0])
    return [modification for _, modification in entries]


def cpv_for_market(contract: Contract) -> str:
    """The CPV code the market can carry (NNNNNNNN-N, division known, published check digit when the code is
    known), or "" when the DECP gives no such code: the DECP's own code stays on its record."""
    if not contract.cpv_digits:
        return ""
    compact = contract.cpv_code.replace("-", "")
    if len(compact) == 9 and is_ascii_digits(compact):
        candidate = f"{compact[:8]}-{compact[8]}"
    else:
        known = REFERENCE.get(contract.cpv_digits)
        if known is None:
            return ""
        candidate = f"{contract.cpv_digits}-{known[0]}"
    try:
        validate_cpv(candidate)
    except ValidationError:
        return ""
    return candidate
