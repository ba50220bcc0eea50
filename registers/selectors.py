"""Reads of the public registers: the published index of a company for a year (own filing, else its UES's), the
checks of a response's declared figures against the registers, and the annotations the staff list, the export
and the indicators filter on.

Which year: the Egapro file's `Année` is the year of the indicators, published the following year; the annex asks
the year the note was published. A declared note « publiée en 2025 » is therefore compared with the row of 2024;
a response that gives no year is compared with the index published in its submission year (the row of the year
before: docs/indicateurs.md, « Index publiés »).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear

from procurement.french import number
from registers import enums, http
from registers.enums import HEADCOUNT_BRACKETS, IndexCheck
from registers.models import EgaproLoad, PublishedIndex, UesMember


def current_load() -> EgaproLoad | None:
    return EgaproLoad.objects.order_by("-loaded_at", "-pk").first()


@dataclass(frozen=True)
class PublishedFigure:
    """A published index, with where it comes from: shown with its source and date wherever it appears."""

    year: int
    siren: str
    index: int | None
    not_computable: bool
    source: str
    source_date: datetime.datetime | datetime.date | None
    company_name: str = ""
    ues_name: str = ""
    via_ues_of: str = ""  # the SIREN that declared the UES, when the company is one of its members
    notes: list[tuple[str, object]] = field(default_factory=list)  # (label, points | "NC" | None)

    @property
    def score_text(self) -> str:
        if self.not_computable:
            return "non calculable"
        return "—" if self.index is None else str(self.index)


def egapro_year(*, declared_year: int | None, fallback_year: int) -> int:
    """The file's `Année` (year of the indicators) to compare with: the declared publication year - 1, else
    `fallback_year` (a year of indicators already)."""
    return declared_year - 1 if declared_year else fallback_year


def published_index(*, siren: str, year: int) -> PublishedFigure | None:
    """The index `siren` published for the indicators of `year`: its own row, else its UES's (a member company);
    None when the loaded file has neither."""
    if not siren:
        return None
    load = current_load()
    if load is None:
        return None
    row = PublishedIndex.objects.filter(siren=siren, year=year).first()
    via = ""
    if row is None:
        member = UesMember.objects.filter(siren=siren, year=year).first()
        if member is None:
            return None
        row = PublishedIndex.objects.filter(siren=member.ues_siren, year=year).first()
        if row is None:
            return None
        via = member.ues_siren
    return PublishedFigure(
        year=row.year,
        siren=siren,
        index=row.index,
        not_computable=row.index_not_computable,
        source=enums.EGAPRO_SOURCE_LABEL,
        source_date=load.loaded_at,
        company_name=row.company_name,
        ues_name=row.ues_name,
        via_ues_of=via,
        notes=[(enums.NOTE_LABELS[key], (row.notes or {}).get(key)) for key in enums.NOTES],
    )


def live_published_index(*, siren: str, year: int) -> PublishedFigure | None:
    """The API Egapro's `déclaration.index` (cached; raises http.SourceError when it cannot be read)."""
    declaration = http.egapro_declaration(siren=siren, year=year)
    if declaration is None:
        return None
    return PublishedFigure(
        year=year,
        siren=siren,
        index=declaration.index,
        not_computable=declaration.index is None,
        source=enums.EGAPRO_API_SOURCE_LABEL,
        source_date=datetime.date.today(),
    )


# --- Annotations for querysets of annex responses (fields `siren`, `staff_total`, `submitted_on`,
# `equality_index_status`, `equality_index_score`, `equality_index_year`) ------------------------------------------

SCORE = "score"
NOT_COMPUTABLE = "not_computable"  # questionnaire.enums.EqualityIndexStatus, which this app may not import


def _year_expression(fallback_year: int | None):
    if fallback_year is None:
        # An integer, not PostgreSQL's numeric EXTRACT: compared with a numeric year, the (year, siren) unique
        # indexes of the registers go unused and each response's look-up reads the whole index.
        fallback = Cast(ExtractYear("submitted_on") - 1, output_field=IntegerField())
    else:
        fallback = Value(fallback_year, output_field=IntegerField())
    return Case(
        When(equality_index_year__isnull=False, then=F("equality_index_year") - 1),
        default=fallback,
        output_field=IntegerField(),
    )


def with_published_index(responses: QuerySet, *, fallback_year: int | None = None) -> QuerySet:
    """Annotates `published_year` (the file's year compared), `published_found`, `published_index` (None: not
    computable or none) and `published_not_computable`; `fallback_year` replaces the year before submission for
    responses that gave no year (the indicators pass the year before the period's end)."""
    responses = responses.annotate(published_year=_year_expression(fallback_year))
    own = PublishedIndex.objects.filter(siren=OuterRef("siren"), year=OuterRef("published_year"))
    member = UesMember.objects.filter(siren=OuterRef("siren"), year=OuterRef("published_year"))
    # A published index is a score or « NC » (docs/indicateurs.md): a row whose « Note Index » is empty is none.
    published = Q(index__isnull=False) | Q(index_not_computable=True)
    return responses.annotate(
        published_found=Exists(own.filter(published)) | Exists(member.filter(published)),
        published_index=Coalesce(
            Subquery(own.values("index")[:1]), Subquery(member.values("index")[:1]), output_field=IntegerField()
        ),
        published_not_computable=Coalesce(
            Subquery(own.values("index_not_computable")[:1]), Subquery(member.values("index_not_computable")[:1])
        ),
        published_loaded_at=Subquery(EgaproLoad.objects.order_by("-loaded_at", "-pk").values("loaded_at")[:1]),
    )


def _declared_score_differs() -> Q:
    return Q(equality_index_status=SCORE) & (
        Q(published_index__isnull=True) | ~Q(published_index=F("equality_index_score"))
    )


def _declared_nc_differs() -> Q:
    return Q(equality_index_status=NOT_COMPUTABLE) & ~Q(published_not_computable=True)


def _declared() -> Q:
    return Q(equality_index_status__in=[SCORE, NOT_COMPUTABLE])


def filter_by_check(responses: QuerySet, check: str) -> QuerySet:
    """The responses of `with_published_index` whose check is `check` (an IndexCheck value)."""
    if check == IndexCheck.NOT_PUBLISHED:
        return responses.filter(published_found=False)
    found = responses.filter(published_found=True)
    if check == IndexCheck.NOT_DECLARED:
        return found.exclude(_declared())
    different = _declared_score_differs() | _declared_nc_differs()
    if check == IndexCheck.DIFFERENT:
        return found.filter(different)
    if check == IndexCheck.VERIFIED:
        return found.filter(_declared()).exclude(different)
    return responses


CHECK_TEXTS = {
    IndexCheck.VERIFIED: "vérifié",
    IndexCheck.DIFFERENT: "différent",
    IndexCheck.NOT_PUBLISHED: "non publié",
    IndexCheck.NOT_DECLARED: "publié, non déclaré",
}


def index_check(response) -> str:
    """The IndexCheck of one response annotated by `with_published_index`."""
    if not getattr(response, "published_found", False):
        return IndexCheck.NOT_PUBLISHED
    status = response.equality_index_status
    if status == SCORE:
        same = response.published_index is not None and response.published_index == response.equality_index_score
        return IndexCheck.VERIFIED if same else IndexCheck.DIFFERENT
    if status == NOT_COMPUTABLE:
        return IndexCheck.VERIFIED if response.published_not_computable else IndexCheck.DIFFERENT
    return IndexCheck.NOT_DECLARED


# --- Company register ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookup:
    """A look-up in the company register: `facts` when found, `notice` (French) when it could not be done."""

    facts: http.CompanyFacts | None = None
    notice: str = ""
    unavailable: bool = False


def company_lookup(*, siret: str) -> Lookup:
    """Never raises and never waits more than REGISTERS_TIMEOUT_SECONDS."""
    try:
        facts = http.company_by_siret(siret=siret)
    except http.SourceOff:
        return Lookup()
    except http.SourceError as error:
        return Lookup(notice=error.notice, unavailable=True)
    return Lookup(facts=facts)


def bracket_label(code: str) -> str:
    bracket = HEADCOUNT_BRACKETS.get(code or "")
    return bracket[2] if bracket else ""


def headcount_outside_bracket(*, declared: int, code: str) -> bool:
    bracket = HEADCOUNT_BRACKETS.get(code or "")
    if bracket is None:
        return False
    low, high, _label = bracket
    return declared < low or (high is not None and declared > high)


@dataclass(frozen=True)
class Badge:
    text: str
    severity: str  # DSFR badge: "success", "warning", "error", "info", "new"


def mismatch_badges(
    *,
    declared_index: int | None,
    declared_not_computable: bool,
    published: PublishedFigure | None,
    declared_headcount: int,
    register: dict,
) -> list[Badge]:
    """The badges of a response's page: « déclaré 88, publié 75 », « 12 salariés déclarés, tranche 250–499 »,
    « entreprise fermée »; « index vérifié » when the declared index matches the published one."""
    badges = []
    if published is not None:
        if declared_index is not None:
            if published.index == declared_index and not published.not_computable:
                badges.append(Badge(f"Index vérifié\u00a0: {declared_index}", "success"))
            else:
                badges.append(Badge(f"Index déclaré {declared_index}, publié {published.score_text}", "error"))
        elif declared_not_computable:
            if published.not_computable:
                badges.append(Badge("Index vérifié\u00a0: non calculable", "success"))
            else:
                badges.append(Badge(f"Index déclaré non calculable, publié {published.score_text}", "error"))
    code = (register or {}).get("headcount_bracket", "")
    if code and headcount_outside_bracket(declared=declared_headcount, code=code):
        noun = "salarié déclaré" if declared_headcount <= 1 else "salariés déclarés"
        badges.append(Badge(f"{number(declared_headcount)} {noun}, tranche {bracket_label(code)}", "warning"))
    if (register or {}).get("administrative_status") == enums.CLOSED:
        badges.append(Badge("Entreprise fermée", "error"))
    return badges
