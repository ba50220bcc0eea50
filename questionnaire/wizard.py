"""The annex wizard: django-formtools' NamedUrlWizardView, with the draft (not the session) as its storage.

Each step's URL carries the draft's resume token: two tabs on two markets never mix, an expired session loses
nothing, and the resume link works in any browser. Every POST saves the values typed in that step to the draft,
valid or not, before anything else. `done()` calls one service, `submit_draft`.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView
from formtools.wizard.storage.base import BaseStorage
from formtools.wizard.views import NamedUrlWizardView, StepsHelper, WizardView

from procurement.access import NoStoreMixin
from procurement.models import Market
from procurement.validators import MAX_ID_DIGITS, is_ascii_digits, normalise_company_number, validate_siret
from questionnaire import ratelimit, selectors, texts
from questionnaire.enums import EQUALITY_INDEX_MIN_STAFF, HEADCOUNT_FIELDS, QUESTIONNAIRE_VERSION
from questionnaire.forms import (
    HONEYPOT_FIELD,
    AttachmentsForm,
    CommitmentsForm,
    GovernanceForm,
    HeadcountForm,
    PolicyForm,
    ResumeLinkForm,
    StructureForm,
    SummaryForm,
    year_ago,
)
from questionnaire.models import Draft
from questionnaire.services import attachments as attachment_service
from questionnaire.services import drafts as draft_service
from questionnaire.services import receipts
from questionnaire.services.submission import build_response, submit_draft
from registers import selectors as registers
from registers.http import COMPANY_REGISTER

logger = logging.getLogger(__name__)

STEP_STRUCTURE = "structure"
STEP_HEADCOUNT = "effectifs"
STEP_GOVERNANCE = "gouvernance"
STEP_POLICY = "politique-interne"
STEP_COMMITMENTS = "engagements"
STEP_ATTACHMENTS = "pieces-jointes"
STEP_SUMMARY = "recapitulatif"
DONE_STEP = "envoi"

STEPS = [
    (STEP_STRUCTURE, StructureForm, "Structure"),
    (STEP_HEADCOUNT, HeadcountForm, "Effectifs"),
    (STEP_GOVERNANCE, GovernanceForm, "Gouvernance"),
    (STEP_POLICY, PolicyForm, "Politique interne"),
    (STEP_COMMITMENTS, CommitmentsForm, "Engagements"),
    (STEP_ATTACHMENTS, AttachmentsForm, "Pièces jointes"),
    (STEP_SUMMARY, SummaryForm, "Récapitulatif"),
]
STEP_TITLES = {name: title for name, _form, title in STEPS}
# One template per step, named after it (each extends questionnaire/wizard/base.html).
STEP_TEMPLATES = {name: f"questionnaire/wizard/{name}.html" for name, _form, _title in STEPS}
# Steps whose typed values a CSRF failure may still save (no file, no submission).
RESCUABLE_STEPS = {STEP_STRUCTURE, STEP_HEADCOUNT, STEP_GOVERNANCE, STEP_POLICY, STEP_COMMITMENTS}
# Summary sections (questionnaire.services.receipts) -> wizard steps, for the "modifier" links.
SECTION_STEPS = {
    "structure": STEP_STRUCTURE,
    "effectifs": STEP_HEADCOUNT,
    "gouvernance": STEP_GOVERNANCE,
    "politique": STEP_POLICY,
    "engagements": STEP_COMMITMENTS,
}
NAVIGATION_FIELDS = {"stay", "remove_attachment", "rechercher_siret"}
# The first step's button that looks the SIRET up in the company register and fills the structure's name.
LOOKUP_FIELD = "rechercher_siret"


def answer_field_names(step: str) -> list[str]:
    """Every field a step may send (its widest variant), honeypot excluded: what a draft stores for it."""
    if step == STEP_STRUCTURE:
        return ["structure_name", "siret", "contact_email", "market", "lot"]
    if step == STEP_HEADCOUNT:
        return list(HEADCOUNT_FIELDS)
    if step == STEP_POLICY:
        form = PolicyForm(ask_index=True)
    else:
        form = {name: form_class for name, form_class, _title in STEPS}[step]()
    return [name for name in form.fields if name not in {HONEYPOT_FIELD, "files"}]


def recent_markets(organisation):
    """What a candidate arriving by the buyer's generic link may pick: markets published in the last 12 months
    whose annex link still takes answers (a closed market's own link refuses them too)."""
    now = timezone.now()
    today = timezone.localdate(now)
    markets = Market.objects.for_organisation(organisation).taking_answers(now)
    return markets.filter(published_on__gte=year_ago(today), published_on__lte=today)


class DraftStorage(BaseStorage):
    """formtools storage kept in the Draft row: step data as typed, current step; no file (attachments are saved
    as rows as soon as they are checked)."""

    def __init__(self, prefix, request=None, file_storage=None, *, draft: Draft):
        super().__init__(prefix, request, file_storage)
        self.draft = draft

    def reset(self):
        """Nothing to forget: a submitted draft keeps what was typed until the purge."""

    def _get_current_step(self):
        return self.draft.current_step or None

    def _set_current_step(self, step):
        if step:
            draft_service.set_current_step(draft=self.draft, step=step)

    def _get_extra_data(self):
        return {}

    def _set_extra_data(self, extra_data):
        pass

    def get_step_data(self, step):
        return draft_service.as_multivaluedict((self.draft.data or {}).get(step))

    def set_step_data(self, step, cleaned_data):
        values = draft_service.typed_values(cleaned_data, answer_field_names(step))
        if (self.draft.data or {}).get(step) != values:
            draft_service.save_step_values(draft=self.draft, step=step, values=values)

    def get_step_files(self, step):
        return None

    def set_step_files(self, step, files):
        pass

    def update_response(self, response):
        pass


class AnnexWizardView(NoStoreMixin, NamedUrlWizardView):
    """Shared by the public questionnaire and the staff's paper entry."""

    form_list = [(name, form) for name, form, _title in STEPS]
    url_name = ""  # set by subclasses
    confirmation_url_name = ""
    staff_entry = False
    # formtools insists on a file storage when a step has a file field; attachments never go through it
    # (DraftStorage.set_step_files stores nothing): they are checked and saved as Attachment rows.
    file_storage = default_storage

    @classmethod
    def get_initkwargs(cls, *args, **kwargs):
        kwargs.setdefault("url_name", cls.url_name)
        kwargs.setdefault("done_step_name", DONE_STEP)
        return super().get_initkwargs(*args, **kwargs)

    def get_draft(self) -> Draft | None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.draft = self.get_draft()
        if self.draft is None:
            raise Http404("Ce lien de reprise ne correspond à aucun questionnaire.")
        if self.draft.submitted_at is not None:
            # Second tab, replayed request, back button after sending: the one receipt.
            return redirect(self.confirmation_url())
        self.prefix = self.get_prefix(request, *args, **kwargs)
        self.storage = DraftStorage(self.prefix, request, draft=self.draft)
        self.steps = StepsHelper(self)
        try:
            return TemplateView.dispatch(self, request, *args, **kwargs)
        except ratelimit.RateLimited as error:
            return ratelimit.too_many_requests(request, error)

    def get_prefix(self, request, *args, **kwargs):
        return "annexe"

    def get_form_prefix(self, step=None, form=None):
        return None

    def get_step_url(self, step):
        return reverse(self.url_name, kwargs={"token": self.draft.resume_token, "step": step})

    def confirmation_url(self) -> str:
        return reverse(self.confirmation_url_name, kwargs={"token": self.draft.resume_token})

    def get_template_names(self):
        return [STEP_TEMPLATES[self.steps.current]]

    def headcount_total(self) -> int:
        cleaned = self.get_cleaned_data_for_step(STEP_HEADCOUNT) or {}
        return sum(cleaned.get(name) or 0 for name in HEADCOUNT_FIELDS)

    def get_form_kwargs(self, step=None):
        if step == STEP_STRUCTURE:
            market_choices = None if self.draft.market_id else recent_markets(self.draft.organisation)
            return {"market": self.draft.market, "market_choices": market_choices, "staff_entry": self.staff_entry}
        if step == STEP_POLICY:
            return {"ask_index": self.headcount_total() >= EQUALITY_INDEX_MIN_STAFF}
        if step == STEP_ATTACHMENTS:
            return {"already_attached": self.draft.attachments.filter(response__isnull=True).count()}
        return {}

    # --- GET ---------------------------------------------------------------------------------------------------

    def get(self, *args, **kwargs):
        if kwargs.get("step") == self.done_step_name:
            return redirect(self.get_step_url(STEP_SUMMARY))
        return super().get(*args, **kwargs)

    # --- POST --------------------------------------------------------------------------------------------------

    def post(self, *args, **kwargs):
        posted_step = self.request.POST.get(f"{self.prefix}-current_step", "")
        if posted_step not in self.get_form_list():
            posted_step = self.steps.current
        ratelimit.hit(self.request, "submit" if posted_step == STEP_SUMMARY else "draft")
        if (self.request.POST.get(HONEYPOT_FIELD) or "").strip():
            return self._fool_robot(posted_step)
        # Saved first, valid or not: what was typed comes back even if the page is left now.
        values = draft_service.typed_values(self.request.POST, answer_field_names(posted_step))
        if posted_step != STEP_SUMMARY:
            draft_service.save_step_values(draft=self.draft, step=posted_step, values=values, current_step=posted_step)
        if posted_step == STEP_STRUCTURE and LOOKUP_FIELD in self.request.POST:
            return self._look_up_company(values)
        remove = self.request.POST.get("remove_attachment")
        if posted_step == STEP_ATTACHMENTS and remove:
            # ASCII digits, a few: str.isdigit() also accepts « ² », and int() refuses more than 4,300 digits.
            is_id = is_ascii_digits(remove) and len(remove) <= MAX_ID_DIGITS
            if is_id and attachment_service.remove_attachment(draft=self.draft, attachment_id=int(remove)):
                messages.success(self.request, "Le fichier a été retiré.")
            return redirect(self.get_step_url(STEP_ATTACHMENTS))
        return super().post(*args, **kwargs)

    def _look_up_company(self, values: dict):
        """The company register's name for the SIRET typed, in the name field; never more than the registers'
        timeout (2 s), and a source down or off is a notice: the candidate types the name and goes on."""
        back = redirect(self.get_step_url(STEP_STRUCTURE))
        siret = normalise_company_number(str(values.get("siret") or ""))
        try:
            validate_siret(siret)
        except ValidationError:
            messages.error(self.request, "Indiquez d'abord un numéro SIRET valide (14 chiffres) pour le rechercher.")
            return back
        if not COMPANY_REGISTER.enabled:
            messages.info(
                self.request,
                "La recherche dans le répertoire des entreprises n'est pas disponible\u00a0: saisissez le nom de "
                "votre structure.",
            )
            return back
        lookup = registers.company_lookup(siret=siret)
        if lookup.unavailable:
            messages.warning(
                self.request, f"{lookup.notice} Saisissez le nom de votre structure\u00a0: vous pouvez continuer."
            )
            return back
        if lookup.facts is None:
            messages.info(
                self.request,
                "Ce SIRET ne figure pas au répertoire des entreprises\u00a0: vérifiez-le, ou saisissez le nom de "
                "votre structure.",
            )
            return back
        facts = lookup.facts
        typed = str(values.get("structure_name") or "").strip()
        previous = (self.draft.register_facts or {}).get("name", "")
        # The register's name replaces a blank name or the one it gave before, never a name the candidate typed.
        fill = facts.name if facts.name and (not typed or typed == previous) else ""
        draft_service.record_register_facts(
            draft=self.draft, facts=register_facts(facts), step=STEP_STRUCTURE, structure_name=fill
        )
        if fill:
            messages.success(
                self.request,
                f"Nom trouvé au répertoire des entreprises\u00a0: «\u00a0{facts.name}\u00a0». Vous pouvez le "
                "corriger avant de continuer.",
            )
        elif facts.name and typed != facts.name:
            messages.info(
                self.request,
                f"Le répertoire des entreprises connaît ce SIRET sous le nom «\u00a0{facts.name}\u00a0»\u00a0; le "
                "nom que vous avez saisi est conservé\u00a0: corrigez-le si besoin.",
            )
        return back

    def _record_register_facts(self, siret: str) -> None:
        """Moving on from the first step: what the register says of a SIRET it was not asked about yet."""
        if not siret or not COMPANY_REGISTER.enabled or (self.draft.register_facts or {}).get("siret") == siret:
            return
        lookup = registers.company_lookup(siret=siret)
        if lookup.facts is not None:
            draft_service.record_register_facts(
                draft=self.draft, facts=register_facts(lookup.facts), step=STEP_STRUCTURE
            )

    def _fool_robot(self, step: str):
        """A filled honeypot: nothing is stored, and the robot is told all went well."""
        next_step = self.get_next_step(step)
        if next_step is None:
            return redirect("questionnaire:thanks")
        return redirect(self.get_step_url(next_step))

    def process_step(self, form):
        if self.steps.current == STEP_STRUCTURE:
            self._record_register_facts(form.cleaned_data.get("siret") or "")
        if self.steps.current == STEP_ATTACHMENTS:
            files = form.cleaned_data.get("files") or []
            if files:
                try:
                    attachment_service.attach_files(draft=self.draft, files=files)
                except ValidationError as refusal:  # another upload took the room meanwhile
                    form.add_error("files", refusal)
                else:
                    messages.success(
                        self.request,
                        f"{len(files)} fichier{'s' if len(files) > 1 else ''} joint{'s' if len(files) > 1 else ''}.",
                    )
        if self.steps.current == STEP_HEADCOUNT and not sum(form.cleaned_data.get(n) or 0 for n in HEADCOUNT_FIELDS):
            messages.warning(
                self.request,
                "Vous avez indiqué un effectif total de 0. Si ce n'est pas voulu, revenez à l'étape "
                "«\u00a0Effectifs\u00a0».",
            )
        return super().process_step(form)

    def process_step_files(self, form):
        return {}

    def render_next_step(self, form, **kwargs):
        if self.steps.current == STEP_ATTACHMENTS and form.errors:
            return self.render(form)
        if self.steps.current == STEP_ATTACHMENTS and "stay" in self.request.POST:
            return redirect(self.get_step_url(STEP_ATTACHMENTS))
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs):
        # Straight to the submission from the summary's POST: no GET with side effects.
        return WizardView.render_done(self, form, **kwargs)

    def render_revalidation_failure(self, failed_step, form, **kwargs):
        messages.error(
            self.request,
            f"L'étape «\u00a0{STEP_TITLES[failed_step]}\u00a0» est incomplète ou contient une réponse à "
            "corriger\u00a0: complétez-la, puis revenez au récapitulatif pour envoyer vos réponses.",
        )
        return super().render_revalidation_failure(failed_step, form, **kwargs)

    def collected_answers(self, forms) -> dict:
        answers = {}
        for form in forms:
            answers.update(form.cleaned_data)
        answers.pop(HONEYPOT_FIELD, None)
        answers.pop("files", None)
        return answers

    def done(self, form_list, **kwargs):
        submission = submit_draft(draft=self.draft, answers=self.collected_answers(form_list))
        if submission.created and not self.staff_entry:
            response_id = submission.response.pk
            transaction.on_commit(lambda: email_receipt(response_id))
        return redirect(self.confirmation_url())

    # --- Context -----------------------------------------------------------------------------------------------

    def get_context_data(self, form, **kwargs):
        context = super().get_context_data(form=form, **kwargs)
        current = self.steps.current
        names = list(self.get_form_list())
        index = names.index(current)
        context.update(
            draft=self.draft,
            organisation=self.draft.organisation,
            market=self.draft.market,
            staff_entry=self.staff_entry,
            title=texts.TITLE,
            step_title=STEP_TITLES[current],
            step_number=index + 1,
            step_count=len(names),
            next_step_title=STEP_TITLES[names[index + 1]] if index + 1 < len(names) else "",
            step_links=[
                {"name": name, "title": STEP_TITLES[name], "url": self.get_step_url(name), "current": name == current}
                for name in names
            ],
            previous_step=self.steps.prev or "",
            honeypot_field=form[HONEYPOT_FIELD],
            resume_url=self.request.build_absolute_uri(
                reverse("questionnaire:resume", kwargs={"token": self.draft.resume_token})
            ),
            non_binary_footnote=texts.NON_BINARY_FOOTNOTE,
            headcount_title=texts.HEADCOUNT_SECTION,
            officers_question=texts.OFFICERS_QUESTION,
            index_title=texts.INDEX_SECTION,
            questionnaire_version=QUESTIONNAIRE_VERSION,
        )
        if not self.staff_entry:
            refused = draft_service.pop_refused_resume_email(self.request, draft=self.draft)
            context["resume_form"] = (
                ResumeLinkForm(initial={"email": self.draft.contact_email})
                if refused is None
                else ResumeLinkForm({"email": refused})  # validated again: its error shows under the field
            )
        if current == STEP_STRUCTURE:
            # What candidates are owed before they type an e-mail address (RGPD art. 13): on the first step.
            context["privacy_notice"] = (
                None if self.staff_entry else selectors.privacy_notice(organisation=self.draft.organisation)
            )
            context["register_lookup"] = COMPANY_REGISTER.enabled
            context["lookup_field"] = LOOKUP_FIELD
        if current == STEP_ATTACHMENTS:
            context["attachments"] = list(self.draft.attachments.filter(response__isnull=True))
        if current == STEP_SUMMARY:
            context.update(self.summary_context())
        return context

    def summary_context(self) -> dict:
        answers = {}
        incomplete = []
        for name in self.get_form_list():
            if name == STEP_SUMMARY:
                continue
            cleaned = self.get_cleaned_data_for_step(name)
            if cleaned is None:
                incomplete.append({"title": STEP_TITLES[name], "url": self.get_step_url(name)})
            else:
                answers.update(cleaned)
        response = build_response(draft=self.draft, answers=answers)
        return {
            "incomplete_steps": incomplete,
            "sections": receipts.answer_sections(
                response,
                steps={key: self.get_step_url(step) for key, step in SECTION_STEPS.items()},
                index_asked=receipts.index_was_asked(response),
            ),
            "summary_attachments": list(self.draft.attachments.filter(response__isnull=True)),
            "attachments_url": self.get_step_url(STEP_ATTACHMENTS),
        }


def register_facts(facts) -> dict:
    return {**facts.as_dict(), "checked_at": timezone.now().isoformat()}


def email_receipt(response_id: int) -> None:
    """Queues the receipt email (or the address confirmation); without a reachable broker, sends it here."""
    from questionnaire.tasks import send_receipt_email

    try:
        send_receipt_email.delay(response_id)
    except Exception:
        logger.warning(
            "File d'attente indisponible : accusé de réception %s envoyé directement", response_id, exc_info=True
        )
        send_receipt_email(response_id)
