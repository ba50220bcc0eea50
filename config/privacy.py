"""The buyer's view of the personal data the platform holds for it (registre des traitements, RGPD art. 30).

It sits above the apps because it describes all of them, with each buyer's own retention settings.
"""

from django.conf import settings
from django.views.generic import TemplateView

from clauses.models import ClauseSettings
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.legal.selectors import controller


class PrivacyRegisterView(BreadcrumbMixin, OrganisationMemberMixin, TemplateView):
    template_name = "privacy/register.html"
    breadcrumb_current = "Données personnelles"

    def get_context_data(self, **kwargs):
        clause_settings = ClauseSettings.objects.filter(organisation=self.organisation).first() or ClauseSettings()
        return super().get_context_data(
            participant_retention_months=clause_settings.retention_months,
            draft_retention_days=settings.ANNEX_DRAFT_RETENTION_DAYS,
            stamped_upload_retention_days=settings.STAMPED_UPLOAD_RETENTION_DAYS,
            session_hours=settings.SESSION_COOKIE_AGE // 3600,
            controller=controller(organisation=self.organisation),
            **kwargs,
        )
