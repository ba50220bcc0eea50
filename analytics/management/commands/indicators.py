"""`indicators --year YYYY | --start D --end D [--format json|xlsx] [--output FILE] [--organisation SLUG]`.

Prints (or writes) every indicator of docs/indicateurs.md for a buyer and a period, in the JSON of docs/formats.md:
`{"organisation", "period": {"start", "end"}, "annex": [...], "clauses": [...], "specifications": [...],
"titulaires": [...]}`.
The JSON carries the raw figures (no statistical secrecy: it is the reproducible record); the workbook applies
secrecy with `--secrecy-threshold` (3 by default, 0 to disable).
"""

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics import secrecy
from analytics.exports.workbook import build_workbook
from analytics.indicators import compute_indicators
from analytics.serialisation import to_json
from procurement.management.utils import add_organisation_argument, organisation_for_command

FORMATS = ("json", "xlsx")


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 <= int(text) <= 2999:
        raise CommandError(f"Année invalide : « {text} ». Indiquez une année sur 4 chiffres, par exemple --year 2025.")
    return int(text)


def _date(text: str, option: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Date invalide pour {option} : « {text} ». Indiquez une date au format AAAA-MM-JJ, "
            "par exemple 2025-01-31."
        ) from None


def period_from_options(
    *, year: str | None, start: str | None, end: str | None
) -> tuple[datetime.date, datetime.date]:
    if year and (start or end):
        raise CommandError("Indiquez soit --year, soit --start et --end, pas les deux.")
    if year:
        value = _year(year)
        return datetime.date(value, 1, 1), datetime.date(value, 12, 31)
    if not start or not end:
        raise CommandError("Indiquez la période : --year AAAA, ou --start AAAA-MM-JJ et --end AAAA-MM-JJ.")
    first, last = _date(start, "--start"), _date(end, "--end")
    if first > last:
        raise CommandError(f"La date de début ({first:%d/%m/%Y}) est après la date de fin ({last:%d/%m/%Y}).")
    return first, last


class Command(BaseCommand):
    help = "Calcule tous les indicateurs (annexe égalité, clauses d'insertion, cahiers des charges) d'une période."

    def add_arguments(self, parser):
        parser.add_argument("--year", metavar="AAAA", help="Année civile (du 1er janvier au 31 décembre).")
        parser.add_argument("--start", metavar="AAAA-MM-JJ", help="Premier jour de la période (compris).")
        parser.add_argument("--end", metavar="AAAA-MM-JJ", help="Dernier jour de la période (compris).")
        parser.add_argument("--format", default="json", metavar="json|xlsx", help="json (par défaut) ou xlsx.")
        parser.add_argument(
            "--output", metavar="FICHIER", help="Fichier à écrire (JSON : sortie standard par défaut)."
        )
        parser.add_argument(
            "--secrecy-threshold",
            default=str(secrecy.DEFAULT_THRESHOLD),
            metavar="N",
            help="Classeur : secret statistique sous N structures (3 par défaut, 0 pour le désactiver).",
        )
        add_organisation_argument(parser)

    def handle(self, *args, year, start, end, format, output, secrecy_threshold, organisation, **options):
        if format not in FORMATS:
            raise CommandError(f"Format inconnu : « {format} ». Choisissez json ou xlsx.")
        if not secrecy_threshold.isdigit():
            raise CommandError(
                f"Seuil de secret statistique invalide : « {secrecy_threshold} ». Indiquez un nombre entier (0 pour "
                "le désactiver)."
            )
        threshold = int(secrecy_threshold) or None
        first, last = period_from_options(year=year, start=start, end=end)
        organisation = organisation_for_command(organisation)
        indicator_set = compute_indicators(organisations=organisation, start=first, end=last)
        if format == "json":
            data = to_json(indicator_set, organisation_slug=organisation.slug)
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if output:
                self._write(Path(output), (text + "\n").encode("utf-8"))
            else:
                self.stdout.write(text)
            return
        path = Path(output or f"indicateurs-{organisation.slug}-{first}-{last}.xlsx")
        content = build_workbook(indicator_set, organisation_name=organisation.name, secrecy_threshold=threshold)
        self._write(path, content)
        self.stderr.write(f"Classeur écrit : {path}")

    def _write(self, path: Path, content: bytes) -> None:
        try:
            path.write_bytes(content)
        except OSError as error:
            raise CommandError(f"Impossible d'écrire « {path} » : {error.strerror}.") from None
