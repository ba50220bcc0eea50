"""Open data pages: the administrators' page (publish, withdraw, with a confirmation each) and the public pages
(an organisation's published years, their CSV, the Table Schema, the catalogues).

Public pages need no login and are never cached (procurement.access.NoStoreMixin): a withdrawn year disappears at
the next request, from the page as from the catalogues a portal harvests.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import http_date
from django.views import View
from django.views.generic import TemplateView

from analytics import selectors as analytics_selectors
from analytics.models import OpenDataPublication
from analytics.open_data import catalogue, dataset, selectors, services
from analytics.views.access import snapshot_or_404
from procurement import spreadsheets
from procurement.access import NoStoreMixin, OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.models import Organisation
from procurement.permissions import PUBLISH_OPEN_DATA

JSON_PARAMS = {"ensure_ascii": False, "indent": 2}


def _absolute(request):
    return request.build_absolute_uri


def _secrecy_threshold(organisation: Organisation) -> int:
    return analytics_selectors.settings_for(organisation=organisation).secrecy_threshold


# Administrators ------------------------------------------------------------------------------------------------


class OpenDataAdminMixin(BreadcrumbMixin, OrganisationMemberMixin):
    allowed_roles = PUBLISH_OPEN_DATA
    breadcrumb_links = (("Statistiques", "analytics:dashboard"),)


class ManageView(OpenDataAdminMixin, TemplateView):
    template_name = "analytics/open_data/manage.html"
    breadcrumb_current = "Données ouvertes"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            years=selectors.publishable_years(organisation=self.organisation),
            history=selectors.history(organisation=self.organisation),
            secrecy_threshold=_secrecy_threshold(self.organisation),
            licence=dataset.LICENCE,
            **kwargs,
        )


class _ConfirmView(OpenDataAdminMixin, TemplateView):
    """GET: a confirmation page; POST: the change, its outcome as a message on the administrators' page."""

    # Shown once the change is made; {year} is the publication's year.
    success_message = ""

    def get_breadcrumb_links(self):
        return [*super().get_breadcrumb_links(), ("Données ouvertes", reverse("analytics:open_data"))]

    def change(self) -> OpenDataPublication:
        raise NotImplementedError

    def post(self, request, pk):
        try:
            publication = self.change()
        except services.OpenDataError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, self.success_message.format(year=publication.year))
        return redirect("analytics:open_data")


class PublishView(_ConfirmView):
    """GET: what will be published, and a confirmation button; POST: publishes."""

    template_name = "analytics/open_data/publish.html"
    breadcrumb_current = "Publier une année"
    success_message = (
        "Les chiffres de l'année {year} sont publiés en données ouvertes, sous la Licence Ouverte 2.0\u00a0: ils "
        "figurent sur la page publique de l'organisation et dans son catalogue."
    )

    def load_scoped_objects(self) -> None:
        self.snapshot = snapshot_or_404(organisation=self.organisation, user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        threshold = _secrecy_threshold(self.organisation)
        refusal = services.refusal(snapshot=self.snapshot)
        return super().get_context_data(
            snapshot=self.snapshot,
            year=self.snapshot.start.year,
            refusal=refusal,
            secrecy_threshold=threshold,
            secret_count=None
            if refusal
            else selectors.secret_count(snapshot=self.snapshot, secrecy_threshold=threshold),
            licence=dataset.LICENCE,
            **kwargs,
        )

    def change(self) -> OpenDataPublication:
        return services.publish(snapshot=self.snapshot, published_by=self.request.user)


class UnpublishView(_ConfirmView):
    """GET: a confirmation; POST: withdraws the year at once."""

    template_name = "analytics/open_data/unpublish.html"
    breadcrumb_current = "Retirer une année"
    success_message = (
        "L'année {year} est retirée des données ouvertes\u00a0: elle n'apparaît plus sur la page publique ni dans le "
        "catalogue."
    )

    def load_scoped_objects(self) -> None:
        self.publication = selectors.publication_of(organisation=self.organisation, pk=self.kwargs["pk"])
        if self.publication is None:
            raise Http404("Cette publication n'existe pas, ou a déjà été retirée.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(publication=self.publication, **kwargs)

    def change(self) -> OpenDataPublication:
        return services.unpublish(publication=self.publication, unpublished_by=self.request.user)


# Public --------------------------------------------------------------------------------------------------------


class IndexView(NoStoreMixin, TemplateView):
    """Every organisation that publishes, with a link to its page."""

    template_name = "analytics/open_data/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisations=selectors.publishing_organisations(), licence=dataset.LICENCE, **kwargs
        )


class PublicOrganisationMixin(NoStoreMixin):
    def dispatch(self, request, *args, **kwargs):
        self.organisation = get_object_or_404(Organisation, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class OrganisationView(PublicOrganisationMixin, TemplateView):
    template_name = "analytics/open_data/organisation.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            publications=selectors.published(organisation=self.organisation),
            licence=dataset.LICENCE,
            **kwargs,
        )


class CsvView(PublicOrganisationMixin, View):
    def get(self, request, slug, year):
        publication = selectors.published_year(organisation=self.organisation, year=year)
        if publication is None:
            raise Http404("Cette année n'est pas publiée en données ouvertes.")
        response = HttpResponse(selectors.csv_content(publication=publication), content_type=spreadsheets.CSV)
        filename = f"indicateurs-{self.organisation.slug}-{year}.csv"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Last-Modified"] = http_date(publication.published_at.timestamp())
        return response


class OrganisationCatalogueView(PublicOrganisationMixin, View):
    def get(self, request, slug):
        publications = selectors.published(organisation=self.organisation)
        data = catalogue.organisation_catalogue(self.organisation, publications, absolute=_absolute(request))
        return JsonResponse(data, json_dumps_params=JSON_PARAMS)


class PlatformCatalogueView(NoStoreMixin, View):
    def get(self, request):
        data = catalogue.platform_catalogue(selectors.all_published(), absolute=_absolute(request))
        return JsonResponse(data, json_dumps_params=JSON_PARAMS)


class SchemaView(NoStoreMixin, View):
    def get(self, request):
        schema = dataset.table_schema(
            schema_url=request.build_absolute_uri(reverse("open_data:schema")),
            homepage=request.build_absolute_uri(reverse("open_data:index")),
            contributor=settings.PLATFORM_OPERATOR_NAME or settings.PLATFORM_NAME,
        )
        return JsonResponse(schema, json_dumps_params=JSON_PARAMS)
