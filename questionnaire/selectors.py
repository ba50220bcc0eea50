"""Reads of the annex for the staff pages (list, detail, export) and the candidate's introduction."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils.text import capfirst

from procurement.legal.selectors import controller, platform_operator
from procurement.models import Market, Organisation
from procurement.search import matching
from procurement.validators import is_ascii_digits
from questionnaire import exports, texts
from questionnaire.enums import Commitment
from questionnaire.models import AnnexResponse, Attachment, Draft, QuestionnaireSettings, answered_after
from registers import http as register_http
from registers import selectors as registers
from registers.enums import ADMINISTRATIVE_STATUS_LABELS, IndexCheck


@dataclass(frozen=True)
class ResponseFilters:
    """What the staff list, and its export, are narrowed by; every field optional."""

    search: str = ""
    market_id: int | None = None
    year: int | None = None
    source: str = ""
    commitment: str = ""
    index_check: str = ""


def privacy_notice(*, organisation: Organisation | None) -> dict:
    """The context of templates/includes/privacy_notice.html (RGPD art. 13): the buyer as controller (none:
    the notice names the buyer in general), the platform's operator, the drafts' retention."""
    return {
        "controller": controller(organisation=organisation) if organisation is not None else None,
        "operator": platform_operator(),
        "draft_retention_days": settings.ANNEX_DRAFT_RETENTION_DAYS,
    }


def responses_of(*, organisation: Organisation) -> QuerySet[AnnexResponse]:
    return AnnexResponse.objects.for_organisation(organisation)


def _same_structure_same_year():
    """Other responses of the same structure, in the same organisation and the same calendar year (Paris dates)."""
    return AnnexResponse.objects.filter(
        organisation=OuterRef("organisation"),
        structure_key=OuterRef("structure_key"),
        submitted_on__year=OuterRef("submitted_on__year"),
    ).exclude(pk=OuterRef("pk"))


def with_statistics_marker(responses: QuerySet[AnnexResponse]) -> QuerySet[AnnexResponse]:
    """Annotates `answered_again` (the structure answered more than once that year) and `superseded` (a later,
    not withdrawn, submission of that year replaces this one in the statistics: the row is not the marked latest
    one, docs/indicateurs.md, A)."""
    superseded = ExpressionWrapper(Q(is_latest=False, withdrawn_at__isnull=True), output_field=BooleanField())
    return responses.annotate(answered_again=Exists(_same_structure_same_year()), superseded=superseded)


def filtered_responses(*, organisation: Organisation, filters: ResponseFilters) -> QuerySet[AnnexResponse]:
    responses = responses_of(organisation=organisation).select_related("market", "lot", "entered_by")
    return with_statistics_marker(_narrowed(responses, filters))


def exported_responses(*, organisation: Organisation, filters: ResponseFilters) -> QuerySet[AnnexResponse]:
    """The filtered list as the raw export reads it, in submission order: only the fields its columns write (no
    lot, no person who entered it, no statistics marker), so that a large export does not load every column of
    each response and of its market for nothing."""
    responses = responses_of(organisation=organisation).select_related("market").only(*exports.FIELDS)
    return _narrowed(responses, filters).order_by("submitted_at", "pk")


def _narrowed(responses: QuerySet[AnnexResponse], filters: ResponseFilters) -> QuerySet[AnnexResponse]:
    """`responses` narrowed by `filters`, annotated with the published index the list and the export show."""
    if filters.search:
        term = filters.search.strip()
        digits = "".join(term.split())
        siret = Q(siret__startswith=digits) if is_ascii_digits(digits) else None
        responses = matching(responses, fields=["structure_name"], text=term, extra=siret)
    if filters.market_id:
        responses = responses.filter(market_id=filters.market_id)
    if filters.year:
        responses = responses.filter(submitted_on__year=filters.year)
    if filters.source:
        responses = responses.filter(source=filters.source)
    if filters.commitment in Commitment.values:
        responses = responses.filter(**{f"commitment_{filters.commitment}": True})
    responses = registers.with_published_index(responses)
    if filters.index_check in IndexCheck.values:
        responses = registers.filter_by_check(responses, filters.index_check)
    return responses


def response_years(*, organisation: Organisation) -> list[int]:
    dates = responses_of(organisation=organisation).dates("submitted_on", "year", order="DESC")
    return [date.year for date in dates]


def markets_for_filter(*, organisation: Organisation) -> list[tuple[int, str]]:
    rows = Market.objects.for_organisation(organisation).order_by("-published_on", "reference")
    return [(pk, f"{reference} — {title}") for pk, reference, title in rows.values_list("pk", "reference", "title")]


def response_detail(*, organisation: Organisation, pk: int) -> AnnexResponse | None:
    queryset = with_statistics_marker(
        registers.with_published_index(
            responses_of(organisation=organisation).select_related("market", "lot", "entered_by")
        )
    )
    return queryset.filter(pk=pk).first()


CHECK_BADGE_SEVERITIES = {
    IndexCheck.VERIFIED: "success",
    IndexCheck.DIFFERENT: "error",
    IndexCheck.NOT_DECLARED: "info",
}


def label_index_checks(responses) -> None:
    """Sets `index_check_badge` (text and DSFR severity; None when nothing was published) on each response of the
    list's page, annotated by `filtered_responses`."""
    for response in responses:
        check = registers.index_check(response)
        if check == IndexCheck.NOT_PUBLISHED:
            response.index_check_badge = None
            continue
        text = registers.CHECK_TEXTS[check]
        if check == IndexCheck.DIFFERENT:
            published = "non calculable" if response.published_not_computable else response.published_index
            text = f"différent (publié {published})"
        response.index_check_badge = {"text": capfirst(text), "severity": CHECK_BADGE_SEVERITIES[check]}


def register_checks(*, response: AnnexResponse, live: bool = True) -> dict:
    """What the staff see next to a response: the published index of its SIREN for the year compared (the loaded
    file, else the API Egapro when `live` and it is on), the register's bracket and status, the mismatch badges,
    and a notice when a source could not be read. Public data only, always with its source and date."""
    year = registers.egapro_year(
        declared_year=response.equality_index_year, fallback_year=response.submitted_on.year - 1
    )
    published, notice = None, ""
    if response.siren:
        published = registers.published_index(siren=response.siren, year=year)
        if published is None and live and register_http.EGAPRO.enabled:
            try:
                published = registers.live_published_index(siren=response.siren, year=year)
            except register_http.SourceError as error:
                notice = error.notice
    register = {
        "headcount_bracket": response.register_headcount_bracket,
        "administrative_status": response.register_status,
    }
    declared_score = response.equality_index_score if response.equality_index_status == "score" else None
    badges = registers.mismatch_badges(
        declared_index=declared_score,
        declared_not_computable=response.equality_index_status == "not_computable",
        published=published,
        declared_headcount=response.staff_total,
        register=register,
    )
    return {
        "year": year,
        "published": published,
        "notice": notice,
        "badges": badges,
        "register_bracket": registers.bracket_label(response.register_headcount_bracket),
        "register_status": ADMINISTRATIVE_STATUS_LABELS.get(response.register_status, ""),
        "register_consulted": response.register_checked_at is not None,
    }


def structure_history(*, response: AnnexResponse) -> QuerySet[AnnexResponse]:
    """Every submission of the same structure to the same buyer, newest first (staff see them all)."""
    return with_statistics_marker(
        responses_of(organisation=response.organisation).filter(structure_key=response.structure_key)
    ).select_related("market")


@dataclass(frozen=True)
class RemovalEffects:
    """What removing a response changes besides, for its confirmation page (questionnaire.services.responses,
    `remove_response`)."""

    attachments: list[Attachment]
    # Counted in the statistics of its year: the structure's latest answer of that year, not withdrawn.
    counted: bool
    # The structure's answer that counts in that year's statistics instead, if any (when `counted`).
    replacement: AnnexResponse | None
    # The structure's latest answer for good: what the titulaires' pages and any other period read.
    is_structure_latest: bool
    # The structure's answer that becomes its latest again, if any (when `is_structure_latest`).
    previous: AnnexResponse | None
    # Sent online or entered by staff through the wizard: the draft, with the answers as typed, goes too.
    has_draft: bool


def removal_effects(*, response: AnnexResponse) -> RemovalEffects:
    """The same rule as questionnaire.services.latest (latest `submitted_at`, ties broken by the highest id, withdrawn
    answers never count), read for the structure's other answers to the same organisation."""
    others = (
        responses_of(organisation=response.organisation)
        .submitted()
        .filter(structure_key=response.structure_key)
        .exclude(pk=response.pk)
        .select_related("market")
    )
    later = answered_after(response.submitted_at, response.pk)
    earlier = others.exclude(later).order_by("-submitted_at", "-pk")
    counted = response.is_latest
    is_structure_latest = response.withdrawn_at is None and not others.filter(later).exists()
    return RemovalEffects(
        attachments=list(response.attachments.all()),
        counted=counted,
        replacement=earlier.filter(submitted_year=response.submitted_year).first() if counted else None,
        is_structure_latest=is_structure_latest,
        previous=earlier.first() if is_structure_latest else None,
        has_draft=response.draft_id is not None,
    )


def attachment_of(*, organisation: Organisation, response_pk: int, pk: int) -> Attachment | None:
    return Attachment.objects.filter(
        organisation=organisation, response__organisation=organisation, response_id=response_pk, pk=pk
    ).first()


def effective_introduction(*, organisation: Organisation) -> str:
    """The buyer's introduction, or the default text of the paper questionnaire when it has none."""
    introduction = (
        QuestionnaireSettings.objects.filter(organisation=organisation).values_list("introduction", flat=True).first()
    )
    return (introduction or "").strip() or texts.DEFAULT_INTRODUCTION


def staff_drafts_of(*, organisation: Organisation) -> QuerySet[Draft]:
    """The paper entries of an organisation: a staff draft's token opens nothing in another one (the staff wizard's
    pages and the CSRF rescue of their steps read them here)."""
    return Draft.objects.select_related("organisation", "market").filter(
        organisation=organisation, entered_by__isnull=False
    )
