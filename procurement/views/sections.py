from django.views.generic import TemplateView

from procurement.access import OrganisationMemberMixin
from procurement.enums import Role
from procurement.models import Membership


class UpcomingSectionView(OrganisationMemberMixin, TemplateView):
    """A navigation section whose features have not landed yet: says so plainly."""

    template_name = "section_upcoming.html"
    section_title = ""
    section_description = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section_title=self.section_title, section_description=self.section_description, **kwargs
        )


class MembersView(OrganisationMemberMixin, TemplateView):
    """Administration: who has which role in the current organisation."""

    allowed_roles = frozenset({Role.ADMIN})
    template_name = "procurement/members.html"

    def get_context_data(self, **kwargs):
        memberships = (
            Membership.objects.filter(organisation=self.organisation).select_related("user").order_by("user__email")
        )
        return super().get_context_data(memberships=memberships, **kwargs)
