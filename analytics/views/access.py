"""Who may use the statistics pages.

Administrators, buyers and equality officers see the dashboard and may recompute; administrators and equality
officers freeze ("figer") a published period; administrators set statistical secrecy. Facilitators get a 403:
the figures of their work (insertion clauses) are on the clause report, open to every role.
"""

from django.http import Http404

from analytics import selectors
from analytics.models import IndicatorSnapshot
from procurement.access import OrganisationMemberMixin
from procurement.models import Organisation
from procurement.permissions import READ_STATISTICS


class DashboardAccessMixin(OrganisationMemberMixin):
    allowed_roles = READ_STATISTICS


def snapshot_or_404(*, organisation: Organisation, user, pk: int) -> IndicatorSnapshot:
    """The snapshot among those the user may see (selectors.visible_snapshots): another buyer's, or a consolidated
    one for anyone but a platform administrator, answers 404."""
    snapshot = selectors.snapshot_of(organisation=organisation, user=user, pk=pk)
    if snapshot is None:
        raise Http404("Ce résultat de calcul n'existe pas dans votre organisation.")
    return snapshot


class SnapshotMixin(DashboardAccessMixin):
    """Loads the URL's snapshot (snapshot_or_404)."""

    def load_scoped_objects(self) -> None:
        self.snapshot = snapshot_or_404(organisation=self.organisation, user=self.request.user, pk=self.kwargs["pk"])


class JobMixin(DashboardAccessMixin):
    """Loads the URL's computation among those the user may see (selectors.visible_jobs), as snapshot_or_404 does."""

    def load_scoped_objects(self) -> None:
        self.job = selectors.job_of(organisation=self.organisation, user=self.request.user, pk=self.kwargs["pk"])
        if self.job is None:
            raise Http404("Ce calcul n'existe pas dans votre organisation.")
