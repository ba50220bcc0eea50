"""Who may use the statistics pages.

Administrators, buyers and equality officers see the dashboard and may recompute; administrators and equality
officers freeze ("figer") a published period; administrators set statistical secrecy. Facilitators get a 403:
the figures of their work (insertion clauses) are on the clause report, open to every role.
"""

from django.shortcuts import get_object_or_404

from analytics.models import IndicatorSnapshot
from procurement.access import OrganisationMemberMixin
from procurement.permissions import READ_STATISTICS


class DashboardAccessMixin(OrganisationMemberMixin):
    allowed_roles = READ_STATISTICS


class SnapshotMixin(DashboardAccessMixin):
    """Loads the URL's snapshot within the current organisation: another buyer's answers 404."""

    def load_scoped_objects(self) -> None:
        self.snapshot = get_object_or_404(
            IndicatorSnapshot.objects.for_organisation(self.organisation), pk=self.kwargs["pk"]
        )
