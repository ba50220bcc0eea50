"""The organisation's "Informations légales": the controller and DPO details that candidates' notices print."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import FormView

from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.legal import selectors, services
from procurement.legal.forms import LegalDetailsForm
from procurement.models import LegalDetails
from procurement.permissions import EDIT_LEGAL_DETAILS


class LegalDetailsView(BreadcrumbMixin, OrganisationMemberMixin, FormView):
    allowed_roles = EDIT_LEGAL_DETAILS
    template_name = "procurement/legal_details.html"
    form_class = LegalDetailsForm
    breadcrumb_links = (("Données personnelles", "privacy"),)
    breadcrumb_current = "Informations légales"

    def get_initial(self):
        details = LegalDetails.objects.filter(organisation=self.organisation).first()
        if details is None:
            return {}
        return {
            "controller_name": details.controller_name,
            "controller_address": details.controller_address,
            "dpo_contact": details.dpo_contact,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(controller=selectors.controller(organisation=self.organisation), **kwargs)

    def form_valid(self, form):
        services.save_legal_details(organisation=self.organisation, **form.cleaned_data)
        messages.success(
            self.request, "Les informations légales sont enregistrées\u00a0: les candidats les lisent désormais."
        )
        return redirect("legal_details")
