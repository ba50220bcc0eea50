"""Cahiers des charges: the buyer's texts (encart, base-vie article) and the documents stamped per market."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from procurement import links, spreadsheets
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import EDIT_SPECIFICATION_TEXTS, STAMP_SPECIFICATIONS
from procurement.specifications import selectors, services
from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.enums import SpecificationTextKind, StampingSource
from procurement.specifications.forms import SpecificationTextForm, StampUploadForm
from procurement.templatetags.encart import encart_html
from procurement.views.markets import MarketScopedMixin, UnderMarketBreadcrumbMixin

SPECIFICATIONS_CRUMB = ("Cahiers des charges", "specifications:index")


class KindMixin:
    """Reads the text kind from the URL (`encart` or `base-vie`); anything else answers 404."""

    def load_scoped_objects(self) -> None:
        super().load_scoped_objects()
        kind = selectors.KIND_SLUGS.get(self.kwargs["kind"])
        if kind is None:
            raise Http404("Ce texte n'existe pas.")
        self.kind = SpecificationTextKind(kind)


class SpecificationsIndexView(OrganisationMemberMixin, TemplateView):
    template_name = "procurement/specifications/index.html"

    def get_context_data(self, **kwargs):
        texts = []
        for kind in SpecificationTextKind:
            title, body = selectors.current_or_default_title_and_body(organisation=self.organisation, kind=kind)
            texts.append(
                {
                    "kind": kind,
                    "slug": selectors.SLUG_OF_KIND[kind],
                    "current": selectors.current_text(organisation=self.organisation, kind=kind),
                    "title": title,
                    "html": encart_html(body),
                }
            )
        year = timezone.localdate().year
        return super().get_context_data(
            texts=texts,
            can_edit_texts=self.request.membership.role in EDIT_SPECIFICATION_TEXTS,
            can_stamp=self.request.membership.role in STAMP_SPECIFICATIONS,
            recent=selectors.recent_stamped_specifications(organisation=self.organisation),
            coverage=selectors.coverage_counts(organisation=self.organisation, year=year),
            year=year,
            **kwargs,
        )


class TextEditView(BreadcrumbMixin, KindMixin, OrganisationMemberMixin, FormView):
    """Edits the encart or the base-vie article: "Prévisualiser" shows it, "Enregistrer" adds a version."""

    allowed_roles = EDIT_SPECIFICATION_TEXTS
    template_name = "procurement/specifications/text_form.html"
    form_class = SpecificationTextForm
    breadcrumb_links = (SPECIFICATIONS_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return self.kind.label

    def get_initial(self):
        title, body = selectors.current_or_default_title_and_body(organisation=self.organisation, kind=self.kind)
        return {"title": title, "body": body}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            text_kind=self.kind,
            kind_slug=self.kwargs["kind"],
            current=selectors.current_text(organisation=self.organisation, kind=self.kind),
            **kwargs,
        )

    def form_valid(self, form):
        title, body = form.cleaned_data["title"], form.cleaned_data["body"]
        if self.request.POST.get("action") == "preview":
            return self.render_to_response(
                self.get_context_data(form=form, preview_title=title, preview_html=encart_html(body))
            )
        previous = selectors.current_text(organisation=self.organisation, kind=self.kind)
        text = services.save_text_version(
            organisation=self.organisation, kind=self.kind, title=title, body=body, user=self.request.user
        )
        if previous is not None and text.pk == previous.pk:
            messages.info(self.request, f"Aucune modification : la version {text.version} reste en vigueur.")
        else:
            messages.success(
                self.request,
                f"{self.kind.label} enregistré : la version {text.version} sera utilisée pour les prochains "
                "cahiers des charges.",
            )
        return redirect("specifications:index")


class TextVersionsView(BreadcrumbMixin, KindMixin, OrganisationMemberMixin, TemplateView):
    template_name = "procurement/specifications/text_versions.html"
    breadcrumb_links = (SPECIFICATIONS_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return f"Versions : {self.kind.label}"

    def get_context_data(self, **kwargs):
        versions = [
            {"text": text, "html": encart_html(text.body)}
            for text in selectors.text_versions(organisation=self.organisation, kind=self.kind)
        ]
        return super().get_context_data(
            text_kind=self.kind,
            kind_slug=self.kwargs["kind"],
            versions=versions,
            can_edit_texts=self.request.membership.role in EDIT_SPECIFICATION_TEXTS,
            **kwargs,
        )


class MarketSpecificationView(UnderMarketBreadcrumbMixin, MarketScopedMixin, FormView):
    """A market's cahiers des charges: upload one to stamp it, list and download those already stamped."""

    allowed_roles = STAMP_SPECIFICATIONS
    template_name = "procurement/specifications/market.html"
    form_class = StampUploadForm
    breadcrumb_current = "Cahier des charges"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            market=self.market,
            documents=selectors.stamped_specifications_of(market=self.market),
            annex_url=links.market_candidate_url(self.market, request=self.request),
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            record = services.stamp_specification(
                market=self.market,
                content=upload.read(),
                filename=upload.name,
                annex_url=links.market_candidate_url(self.market, request=self.request),
                user=self.request.user,
                source=StampingSource.WEB,
            )
        except UnsafeDocument as refusal:
            form.add_error("file", refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        placement = (
            "à la place du repère [[ENCART_EGALITE]]" if record.encart_at_placeholder else "à la fin du document"
        )
        article = f" L'article « {record.base_vie_heading} » a été ajouté." if record.base_vie_heading else ""
        messages.success(
            self.request,
            f"L'encart égalité a été inséré {placement} dans « {record.source_name} ».{article} "
            "Téléchargez le document complété ci-dessous.",
        )
        for warning in record.warnings:
            messages.warning(self.request, warning)
        return redirect("procurement:market_specification", pk=self.market.pk)


class StampedDownloadView(MarketScopedMixin, View):
    allowed_roles = STAMP_SPECIFICATIONS

    def get(self, request, pk, document_pk):
        record = get_object_or_404(selectors.stamped_specifications_of(market=self.market), pk=document_pk)
        try:
            handle = record.output.open("rb")
        except FileNotFoundError:
            raise Http404("Le fichier de ce cahier des charges n'est plus disponible.") from None
        return FileResponse(handle, as_attachment=True, filename=record.download_name, content_type=spreadsheets.DOCX)
