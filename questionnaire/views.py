"""Public pages of the annex (no account) and the staff's paper entry through the same wizard."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from procurement import spreadsheets
from procurement.access import NoStoreMixin, OrganisationMemberMixin
from procurement.breadcrumbs import BreadcrumbMixin
from procurement.models import Market, Organisation
from procurement.permissions import ENTER_PAPER_ANNEXES
from procurement.selectors import market_by_token, market_is_open
from questionnaire import ratelimit, selectors, texts
from questionnaire.forms import ResumeLinkForm
from questionnaire.models import AnnexResponse, Draft
from questionnaire.services import drafts as draft_service
from questionnaire.services import receipts
from questionnaire.wizard import (
    RESCUABLE_STEPS,
    STEP_STRUCTURE,
    STEP_TITLES,
    AnnexWizardView,
    answer_field_names,
    email_receipt,
    recent_markets,
)


class RateLimitedMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except ratelimit.RateLimited as error:
            return ratelimit.too_many_requests(request, error)


# --- A market past its deadline: the closed page, and nothing stored ---------------------------------------------


def is_closed(market: Market | None) -> bool:
    return market is not None and not market_is_open(market=market, now=timezone.now())


def closed_page(request, market: Market):
    """410 Gone: the link existed and answered, it no longer takes answers (staff may reopen it)."""
    return render(
        request,
        "questionnaire/closed.html",
        {"market": market, "organisation": market.organisation},
        status=410,
    )


# --- Entry: a market's link, or the buyer's generic link ---------------------------------------------------------


class EntryView(RateLimitedMixin, TemplateView):
    """The introduction, the optional notice, and a button that opens a draft (or continues this browser's)."""

    template_name = "questionnaire/entry.html"

    def load(self) -> tuple[Organisation, Market | None]:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.organisation, self.market = self.load()
        if is_closed(self.market):
            return closed_page(request, self.market)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisation=self.organisation,
            market=self.market,
            title=texts.TITLE,
            optional_notice=texts.OPTIONAL_NOTICE,
            introduction=selectors.effective_introduction(organisation=self.organisation),
            current_draft=draft_service.draft_from_session(
                self.request, organisation=self.organisation, market=self.market
            ),
            recent_market_count=None if self.market else recent_markets(self.organisation).count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        ratelimit.hit(request, "draft")
        draft = draft_service.create_draft(organisation=self.organisation, market=self.market)
        draft_service.remember_in_session(request, draft)
        return redirect("questionnaire:wizard_step", token=draft.resume_token, step=STEP_STRUCTURE)


class MarketEntryView(EntryView):
    """Public page a candidate reaches from the market's link or QR code; no account needed."""

    def load(self):
        market = market_by_token(token=self.kwargs["token"])
        if market is None:
            raise Http404("Ce lien ne correspond à aucun marché.")
        return market.organisation, market


class OrganisationEntryView(EntryView):
    """The buyer's generic link: the candidate may pick one of the buyer's recent markets, or none."""

    def load(self):
        return get_object_or_404(Organisation, slug=self.kwargs["slug"]), None


# --- The wizard, its resume link and its receipt --------------------------------------------------------------


class PublicAnnexWizardView(AnnexWizardView):
    url_name = "questionnaire:wizard_step"
    confirmation_url_name = "questionnaire:confirmation"

    def get_draft(self):
        return draft_service.pending_public_draft(token=self.kwargs["token"])

    def dispatch(self, request, *args, **kwargs):
        # Checked before the wizard saves anything: a draft of a market past its deadline takes no step.
        draft = self.get_draft()
        if draft is not None and draft.submitted_at is None and is_closed(draft.market):
            return closed_page(request, draft.market)
        return super().dispatch(request, *args, **kwargs)


class ResumeView(View):
    """`annexe/reprendre/<token>/`: shown on screen and emailed; works in any browser, any day."""

    def get(self, request, token):
        draft = draft_service.pending_public_draft(token=token)
        if draft is None:
            raise Http404("Ce lien de reprise ne correspond à aucun questionnaire.")
        if draft.submitted_at is not None:
            return redirect("questionnaire:confirmation", token=token)
        draft_service.remember_in_session(request, draft)
        return redirect("questionnaire:wizard_step", token=token, step=draft.current_step or STEP_STRUCTURE)


# The id of the resume link form's section (questionnaire/wizard/base.html).
RESUME_FORM_ANCHOR = "reprise"


class SendResumeLinkView(RateLimitedMixin, View):
    def post(self, request, token):
        draft = draft_service.pending_public_draft(token=token)
        if draft is None or draft.submitted_at is not None:
            raise Http404("Ce lien de reprise ne correspond à aucun questionnaire en cours.")
        form = ResumeLinkForm(request.POST)
        back = reverse("questionnaire:wizard_step", kwargs={"token": token, "step": draft.current_step or "structure"})
        if not form.is_valid():
            # The step shows the field again with what was typed (no more than an address may hold: it is kept in
            # the session) and its error; the page opens at the form.
            typed = request.POST.get("email", "")[: form.fields["email"].max_length]
            draft_service.keep_refused_resume_email(request, draft=draft, email=typed)
            return redirect(f"{back}#{RESUME_FORM_ANCHOR}")
        ratelimit.hit(request, "email")
        resume_url = request.build_absolute_uri(reverse("questionnaire:resume", kwargs={"token": token}))
        if receipts.send_resume_link(
            email=form.cleaned_data["email"], resume_url=resume_url, organisation=draft.organisation
        ):
            messages.success(request, f"Le lien de reprise a été envoyé à {form.cleaned_data['email']}.")
        else:
            messages.error(request, "Le courriel n'a pas pu être envoyé\u00a0: notez le lien affiché sur cette page.")
        return redirect(back)


class SubmittedResponseMixin(NoStoreMixin):
    """Loads the response of a submitted draft from the token in the URL."""

    def load_response(self) -> AnnexResponse:
        response = (
            AnnexResponse.objects.select_related("organisation", "market", "lot")
            .filter(draft__resume_token=self.kwargs["token"], draft__entered_by__isnull=self.public)
            .first()
        )
        if response is None:
            raise Http404("Aucune réponse envoyée ne correspond à ce lien.")
        return response


class ConfirmationView(RateLimitedMixin, SubmittedResponseMixin, TemplateView):
    template_name = "questionnaire/confirmation.html"
    public = True

    def get_context_data(self, **kwargs):
        response = self.load_response()
        return super().get_context_data(
            response=response,
            organisation=response.organisation,
            staff_entry=not self.public,
            pdf_url=reverse(
                "questionnaire:receipt_pdf" if self.public else "questionnaire:staff_receipt_pdf",
                kwargs={"token": self.kwargs["token"]},
            ),
            disclaimer=receipts.CONFIRMATION_DISCLAIMER,
            **kwargs,
        )

    def post(self, request, token):
        """The resend button: the receipt to a confirmed address, else the link that confirms it."""
        response = self.load_response()
        ratelimit.hit(request, "email")
        if receipts.send_receipt(response=response):
            if response.contact_email_confirmed_at is None:
                messages.success(
                    request,
                    f"Le courriel de confirmation a été renvoyé à {response.contact_email}\u00a0: suivez le lien "
                    "qu'il contient pour recevoir l'accusé de réception.",
                )
            else:
                messages.success(request, f"L'accusé de réception a été renvoyé à {response.contact_email}.")
        else:
            messages.error(
                request, "L'accusé de réception n'a pas pu être envoyé\u00a0: téléchargez-le au format PDF ci-dessous."
            )
        return redirect("questionnaire:confirmation", token=token)


class ConfirmAddressView(RateLimitedMixin, TemplateView):
    """The signed link of the first email: a button (a POST, which mail scanners do not send) confirms the address,
    and the receipt with the answers is then emailed to it."""

    template_name = "questionnaire/confirm_address.html"

    def load_response(self) -> AnnexResponse:
        response = receipts.response_of_confirmation_token(self.kwargs["signature"])
        if response is None or response.draft is None:
            raise Http404("Ce lien de confirmation n'est pas valable ou a expiré.")
        return response

    def get_context_data(self, **kwargs):
        response = self.load_response()
        return super().get_context_data(response=response, organisation=response.organisation, **kwargs)

    def post(self, request, signature):
        response = self.load_response()
        ratelimit.hit(request, "email")
        if receipts.confirm_contact_email(response=response):
            response_id = response.pk
            transaction.on_commit(lambda: email_receipt(response_id))
            messages.success(
                request,
                f"Votre adresse est confirmée\u00a0: l'accusé de réception avec les réponses est envoyé à "
                f"{response.contact_email}. Vous pouvez aussi le télécharger ci-dessous.",
            )
        else:
            messages.info(
                request, "Votre adresse était déjà confirmée\u00a0: vous pouvez télécharger l'accusé ci-dessous."
            )
        return redirect("questionnaire:confirmation", token=response.draft.resume_token)


class ReceiptPdfView(SubmittedResponseMixin, View):
    public = True

    def get(self, request, token):
        response = self.load_response()
        http_response = HttpResponse(receipts.receipt_pdf(response), content_type=spreadsheets.PDF)
        http_response["Content-Disposition"] = f'attachment; filename="{receipts.receipt_filename(response)}"'
        return http_response


class ThanksView(TemplateView):
    """Where a robot that filled the honeypot ends: nothing was stored."""

    template_name = "questionnaire/thanks.html"


# --- Staff: paper entry through the same forms ------------------------------------------------------------------


RESPONSES_CRUMB = ("Annexe égalité", "responses:list")
STAFF_ENTRY_CRUMB = ("Saisir une fiche papier", "responses:staff_entry")


class StaffEntryStartView(BreadcrumbMixin, OrganisationMemberMixin, TemplateView):
    """`annexe-egalite/saisie/[?marche=<pk>]`: opens a staff draft (source STAFF, entered_by = the member)."""

    allowed_roles = ENTER_PAPER_ANNEXES
    breadcrumb_links = (RESPONSES_CRUMB,)
    breadcrumb_current = "Saisir une fiche papier"
    template_name = "questionnaire/staff/entry_start.html"

    def load_scoped_objects(self):
        self.market = None
        market_pk = self.request.GET.get("marche") or self.request.POST.get("marche")
        if market_pk:
            if not str(market_pk).isdigit():
                raise Http404("Marché introuvable.")
            self.market = get_object_or_404(Market.objects.for_organisation(self.organisation), pk=market_pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            market=self.market, markets=Market.objects.for_organisation(self.organisation)[:200], **kwargs
        )

    def post(self, request, *args, **kwargs):
        draft = draft_service.create_draft(organisation=self.organisation, market=self.market, entered_by=request.user)
        return redirect("questionnaire:staff_wizard_step", token=draft.resume_token, step=STEP_STRUCTURE)


class StaffDraftMixin(OrganisationMemberMixin):
    allowed_roles = ENTER_PAPER_ANNEXES

    def load_scoped_objects(self):
        self.draft = (
            selectors.staff_drafts_of(organisation=self.organisation).filter(resume_token=self.kwargs["token"]).first()
        )
        if self.draft is None:
            raise Http404("Cette saisie n'existe pas dans votre organisation.")


class StaffAnnexWizardView(BreadcrumbMixin, StaffDraftMixin, AnnexWizardView):
    """Annexe égalité › Saisir une fiche papier › the step (its title, as in the page's <title>)."""

    url_name = "questionnaire:staff_wizard_step"
    confirmation_url_name = "questionnaire:staff_confirmation"
    staff_entry = True
    breadcrumb_links = (RESPONSES_CRUMB, STAFF_ENTRY_CRUMB)

    def get_breadcrumb_current(self) -> str:
        return STEP_TITLES[self.steps.current]

    def get_draft(self):
        return self.draft


class StaffConfirmationView(BreadcrumbMixin, StaffDraftMixin, ConfirmationView):
    public = False
    breadcrumb_links = (RESPONSES_CRUMB,)
    breadcrumb_current = "Accusé de réception"
    http_method_names = ["get"]


class StaffReceiptPdfView(StaffDraftMixin, ReceiptPdfView):
    public = False


# --- A CSRF failure keeps what was typed ------------------------------------------------------------------------


def _same_origin(request) -> bool:
    """The POST came from our own pages (a cross-site form always sends Origin, or at least Referer)."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.META.get("HTTP_ORIGIN")
    if origin:
        return origin == own
    referer = request.META.get("HTTP_REFERER")
    if referer:
        return referer == own or referer.startswith(own + "/")
    return True


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW. On an annex step (token in the URL), saves the POSTed values of that step into the draft
    and sends the person back to the step with a French message; anywhere else, a 403 page in the site's layout
    that says how to send the form again (Django's own page speaks of DEBUG and « same-origin »).

    Safe: on a candidate's draft the resume token in the URL is the capability (whoever holds it may already write
    the draft through its pages); a paper entry's token is not, so its step is saved only for a signed-in member of
    the draft's organisation with a paper-entry role, as its pages require (StaffDraftMixin). Only the answer fields
    of a step of a draft not yet submitted are written (no file, no submission), the request must come from our own
    pages, and draft saves are rate limited.
    """
    rescued = _rescue_annex_step(request)
    if rescued is not None:
        return rescued
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "back_url": _same_origin_referer(request)}
    return render(request, "403_csrf.html", context, status=403)


def _same_origin_referer(request) -> str | None:
    """The page the form was sent from, when it is one of ours: a link back to it (never to another site)."""
    referer = request.META.get("HTTP_REFERER", "")
    own = f"{request.scheme}://{request.get_host()}"
    return referer if referer.startswith(own + "/") else None


def _staff_drafts_for(request):
    """What the staff wizard's pages would open for this request: nothing without a paper-entry membership."""
    user = getattr(request, "user", None)
    membership = getattr(request, "membership", None)
    if user is None or not user.is_authenticated or membership is None:
        return Draft.objects.none()
    if membership.role not in ENTER_PAPER_ANNEXES:
        return Draft.objects.none()
    return selectors.staff_drafts_of(organisation=request.organisation)


def _rescue_annex_step(request):
    if request.method != "POST" or not _same_origin(request):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "questionnaire" or match.url_name not in {"wizard_step", "staff_wizard_step"}:
        return None
    step = match.kwargs.get("step")
    if step not in RESCUABLE_STEPS:
        return None
    if match.url_name == "staff_wizard_step":
        drafts = _staff_drafts_for(request)
    else:
        drafts = Draft.objects.filter(entered_by__isnull=True)
    draft = drafts.pending().filter(resume_token=match.kwargs.get("token")).first()
    if draft is None:
        return None
    if match.url_name == "wizard_step" and is_closed(draft.market):
        return closed_page(request, draft.market)
    try:
        ratelimit.hit(request, "draft")
    except ratelimit.RateLimited as error:
        return ratelimit.too_many_requests(request, error)
    values = draft_service.typed_values(request.POST, answer_field_names(step))
    draft_service.save_step_values(draft=draft, step=step, values=values, current_step=step)
    messages.warning(
        request,
        "Votre session avait expiré\u00a0: ce que vous aviez saisi à cette étape a été conservé. "
        "Vérifiez-le, puis cliquez à nouveau sur «\u00a0Suivant\u00a0».",
    )
    return redirect(reverse(f"questionnaire:{match.url_name}", kwargs={"token": draft.resume_token, "step": step}))
