"""Writes of open data: publishing a year's frozen figures, withdrawing them. Both are recorded (who, when).

Only an administrator of the organisation publishes (procurement.permissions.PUBLISH_OPEN_DATA), only a calendar
year frozen for the organisation alone (a draft computation can change; a consolidation would reveal other
buyers' figures), and always under statistical secrecy: the organisation's threshold, even when it turned
secrecy off for its own dashboard. The threshold is recorded with the publication, so the file never changes.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from analytics import selectors as analytics_selectors
from analytics.models import IndicatorSnapshot, OpenDataPublication, scope_key_of
from analytics.open_data import selectors
from procurement.models import Membership, Organisation, User
from procurement.permissions import PUBLISH_OPEN_DATA


class OpenDataError(Exception):
    """A refusal with a French message for the user."""


NOT_ADMIN = "Seul·e un·e administrateur·rice de l'organisation peut publier ou retirer ses données ouvertes."
NOT_FROZEN = (
    "Ces chiffres ne sont pas figés\u00a0: seuls des chiffres figés sont publiés. Figez d'abord l'année sur le "
    "tableau de bord des statistiques."
)
NOT_A_YEAR = "Seuls les chiffres d'une année civile entière (du 1er janvier au 31 décembre) sont publiés."
CONSOLIDATED = "Des chiffres consolidés sur plusieurs organisations ne sont pas publiés en données ouvertes."
ALREADY = "L'année {year} est déjà publiée en données ouvertes."


def _check_admin(*, organisation: Organisation, user: User) -> None:
    role = (
        Membership.objects.active()
        .filter(organisation=organisation, user=user, user__is_active=True)
        .values_list("role", flat=True)
        .first()
    )
    if role not in PUBLISH_OPEN_DATA:
        raise OpenDataError(NOT_ADMIN)


def refusal(*, snapshot: IndicatorSnapshot) -> str | None:
    """Why these figures cannot be published, or None when they can."""
    if snapshot.scope_key != scope_key_of([snapshot.organisation_id]):
        return CONSOLIDATED
    if not snapshot.is_frozen:
        return NOT_FROZEN
    if not selectors.is_calendar_year(snapshot):
        return NOT_A_YEAR
    if selectors.published_year(organisation=snapshot.organisation, year=snapshot.start.year) is not None:
        return ALREADY.format(year=snapshot.start.year)
    return None


@transaction.atomic
def publish(*, snapshot: IndicatorSnapshot, published_by: User) -> OpenDataPublication:
    """Publishes the year of these frozen figures on the organisation's open data page and catalogue."""
    snapshot = IndicatorSnapshot.objects.select_for_update().select_related("organisation").get(pk=snapshot.pk)
    organisation = snapshot.organisation
    _check_admin(organisation=organisation, user=published_by)
    reason = refusal(snapshot=snapshot)
    if reason is not None:
        raise OpenDataError(reason)
    threshold = analytics_selectors.settings_for(organisation=organisation).secrecy_threshold
    try:
        with transaction.atomic():
            return OpenDataPublication.objects.create(
                organisation=organisation,
                snapshot=snapshot,
                year=snapshot.start.year,
                secrecy_threshold=threshold,
                published_at=timezone.now(),
                published_by=published_by,
            )
    except IntegrityError as error:  # the same year published at the same moment by another administrator
        raise OpenDataError(ALREADY.format(year=snapshot.start.year)) from error


@transaction.atomic
def unpublish(*, publication: OpenDataPublication, unpublished_by: User) -> OpenDataPublication:
    """Withdraws a published year: gone from the page, the file and the catalogues at once (the row stays, as the
    record of who published and withdrew it, and when)."""
    publication = OpenDataPublication.objects.select_for_update().get(pk=publication.pk)
    _check_admin(organisation=publication.organisation, user=unpublished_by)
    if not publication.is_published:
        raise OpenDataError(f"L'année {publication.year} n'est plus publiée.")
    publication.unpublished_at = timezone.now()
    publication.unpublished_by = unpublished_by
    publication.save(update_fields=["unpublished_at", "unpublished_by"])
    return publication
