"""Cahiers des charges: the buyer's texts (encart, base-vie article) and the documents stamped per market."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from procurement import links, spreadsheets
from procurement.access import OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.permissions import EDIT_SPECIFICATION_TEXTS, STAMP_SPECIFICATIONS
from procurement.specifications import selectors, services
from procurement.specifications.docx.safety import UnsafeDocument
from procurement.specifications.docx.stamping import SourceOutline
from procurement.specifications.enums import SpecificationTextKind, StampingSource
from procurement.specifications.forms import PlacementForm, SpecificationTextForm, StampUploadForm
from procurement.specifications.texts import has_placeholder
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
                    "needs_validation": kind == SpecificationTextKind.ENCART,
                    "has_placeholder": has_placeholder(title, body),
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
        current = selectors.current_text(organisation=self.organisation, kind=self.kind)
        return super().get_context_data(
            text_kind=self.kind,
            kind_slug=self.kwargs["kind"],
            current=current,
            needs_validation=self.kind == SpecificationTextKind.ENCART,
            current_has_placeholder=current is not None and has_placeholder(current.title, current.body),
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
            messages.info(self.request, f"Aucune modification\u00a0: la version {text.version} reste en vigueur.")
        else:
            messages.success(
                self.request,
                f"{self.kind.label} enregistré\u00a0: la version {text.version} sera utilisée pour les prochains "
                "cahiers des charges.",
            )
        if self.kind == SpecificationTextKind.ENCART and not text.is_validated:
            messages.warning(
                self.request,
                f"La version {text.version} de l'encart doit être validée («\u00a0Valider ce texte\u00a0») avant "
                "d'être insérée dans les cahiers des charges.",
            )
        return redirect("specifications:index")


class TextValidateView(KindMixin, OrganisationMemberMixin, View):
    """« Valider ce texte »: records who reviewed the encart's current version, and when."""

    allowed_roles = EDIT_SPECIFICATION_TEXTS

    def post(self, request, kind):
        if self.kind != SpecificationTextKind.ENCART:
            raise Http404("Seul l'encart égalité se valide.")
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        text = selectors.text_versions(organisation=self.organisation, kind=self.kind).filter(version=version).first()
        if text is None:
            messages.error(request, "Cette version de l'encart n'existe pas\u00a0: rechargez la page et recommencez.")
            return redirect("specifications:index")
        try:
            services.validate_text_version(text=text, user=request.user)
        except services.TextNotReady as refusal:
            messages.error(request, refusal.message)
            return redirect("specifications:index")
        messages.success(
            request,
            f"La version {text.version} de l'encart est validée\u00a0: elle sera insérée dans les prochains cahiers "
            "des charges et dans les fiches de renseignements.",
        )
        return redirect("specifications:index")


class TextVersionsView(BreadcrumbMixin, KindMixin, OrganisationMemberMixin, TemplateView):
    template_name = "procurement/specifications/text_versions.html"
    breadcrumb_links = (SPECIFICATIONS_CRUMB,)

    def get_breadcrumb_current(self) -> str:
        return f"Versions\u00a0: {self.kind.label}"

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
        encart = selectors.current_text(organisation=self.organisation, kind=SpecificationTextKind.ENCART)
        return super().get_context_data(
            market=self.market,
            encart_validated=encart is not None and encart.is_validated,
            encart_page_url=reverse("specifications:index"),
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
        except services.TextNotValidated as refusal:
            return self.render_to_response(
                self.get_context_data(form=form, encart_refusal=refusal.message, refusal_link=refusal.link_label),
                status=409,
            )
        placement = selectors.placement_sentence(record=record)
        article = (
            f" L'article «\u00a0{record.base_vie_heading}\u00a0» a été ajouté." if record.base_vie_heading else ""
        )
        messages.success(
            self.request,
            f"L'encart égalité a été inséré {placement} dans «\u00a0{record.source_name}\u00a0».{article} "
            "Vérifiez l'emplacement des textes ci-dessous, puis téléchargez le document complété.",
        )
        for warning in record.warnings:
            messages.warning(self.request, warning)
        return redirect("procurement:stamped_preview", pk=self.market.pk, document_pk=record.pk)


class StampedPreviewView(UnderMarketBreadcrumbMixin, MarketScopedMixin, FormView):
    """Where each text landed in a stamped document, before download; without a marker, the buyer may pick other
    headings of the document's outline, and the document is stamped again from the kept upload."""

    allowed_roles = STAMP_SPECIFICATIONS
    template_name = "procurement/specifications/preview.html"
    form_class = PlacementForm
    breadcrumb_current = "Aperçu du cahier des charges"

    def load_scoped_objects(self) -> None:
        super().load_scoped_objects()
        self.record = get_object_or_404(
            selectors.stamped_specifications_of(market=self.market), pk=self.kwargs["document_pk"]
        )
        # None when the upload is no longer kept; no entries at a marker (the marker decides).
        self.source = None if self.record.encart_at_placeholder else selectors.source_outline(record=self.record)
        self.outline = self.source or SourceOutline([])

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "outline": self.outline,
            "with_base_vie": self.record.base_vie_text_id is not None,
        }

    def get_initial(self):
        by_text = {entry.text: entry.index for entry in reversed(self.outline.entries)}
        return {
            "encart_after": self.record.encart_after
            if self.record.encart_after is not None
            else by_text.get(self.record.encart_section),
            "base_vie_in": self.record.base_vie_in,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            market=self.market,
            record=self.record,
            lines=selectors.stamped_outline(record=self.record),
            placement=selectors.placement_sentence(record=self.record),
            can_move=bool(self.outline.entries),
            upload_kept=self.source is not None,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            record = services.move_stamped_texts(
                record=self.record,
                encart_after=form.cleaned_data["encart_after"],
                base_vie_in=form.cleaned_data.get("base_vie_in"),
                annex_url=links.market_candidate_url(self.market, request=self.request),
            )
        except UnsafeDocument as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        article = (
            f" L'article «\u00a0{record.base_vie_heading}\u00a0» a été ajouté." if record.base_vie_heading else ""
        )
        messages.success(
            self.request,
            "Textes déplacés\u00a0: l'encart égalité est inséré "
            f"{selectors.placement_sentence(record=record)}.{article}",
        )
        return redirect("procurement:stamped_preview", pk=self.market.pk, document_pk=record.pk)


class StampedDownloadView(MarketScopedMixin, View):
    allowed_roles = STAMP_SPECIFICATIONS

    def get(self, request, pk, document_pk):
        record = get_object_or_404(selectors.stamped_specifications_of(market=self.market), pk=document_pk)
        try:
            handle = record.output.open("rb")
        except FileNotFoundError:
            raise Http404("Le fichier de ce cahier des charges n'est plus disponible.") from None
        return FileResponse(handle, as_attachment=True, filename=record.download_name, content_type=spreadsheets.DOCX)
