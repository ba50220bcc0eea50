"""Drafts: every step's values are saved server-side as typed, so that nothing is lost.

`Draft.data` holds, per step name, the values of that step's fields as the browser sent them:
`{"effectifs": {"cadres_f": "12", "cadres_h": "-3", ...}, ...}` (a list when a field sent several values).
Invalid values are kept too: they come back in the form, with the error, when the step is shown again.
"""

from django.db import transaction
from django.utils.datastructures import MultiValueDict

from procurement.models import Market, Organisation, User
from questionnaire.enums import QUESTIONNAIRE_VERSION
from questionnaire.models import Draft

SESSION_KEY = "annex_drafts"
# Never stored in a draft, whatever the step sends.
_NOT_ANSWERS = {"csrfmiddlewaretoken", "wizard_goto_step"}


def create_draft(*, organisation: Organisation, market: Market | None = None, entered_by: User | None = None) -> Draft:
    return Draft.objects.create(
        organisation=organisation, market=market, entered_by=entered_by, form_version=QUESTIONNAIRE_VERSION
    )


def typed_values(data, field_names) -> dict[str, str | list[str]]:
    """The values of `field_names` found in a QueryDict (or dict), as typed."""
    values = {}
    for name in field_names:
        if name in _NOT_ANSWERS or name not in data:
            continue
        items = data.getlist(name) if hasattr(data, "getlist") else data[name]
        if not isinstance(items, list):
            items = [items]
        items = [str(item) for item in items]
        values[name] = items[0] if len(items) == 1 else items
    return values


def as_multivaluedict(values: dict | None) -> MultiValueDict | None:
    if values is None:
        return None
    return MultiValueDict({name: value if isinstance(value, list) else [value] for name, value in values.items()})


@transaction.atomic
def save_step_values(*, draft: Draft, step: str, values: dict, current_step: str | None = None) -> Draft:
    """Replaces one step's values; the other steps are read fresh under a row lock, so two tabs do not clobber
    each other's steps. A submitted draft is not changed."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.submitted_at is not None:
        return locked
    data = dict(locked.data or {})
    data[step] = values
    locked.data = data
    fields = ["data", "updated_at"]
    if current_step is not None:
        locked.current_step = current_step
        fields.append("current_step")
    email = values.get("contact_email") if isinstance(values.get("contact_email"), str) else None
    if email is not None and len(email) <= 254:
        locked.contact_email = email.strip() if "@" in email else ""
        fields.append("contact_email")
    locked.save(update_fields=fields)
    draft.data, draft.current_step, draft.contact_email = locked.data, locked.current_step, locked.contact_email
    return locked


def set_current_step(*, draft: Draft, step: str) -> None:
    if draft.current_step != step:
        Draft.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(current_step=step)
        draft.current_step = step


def pending_public_draft(*, token: str) -> Draft | None:
    return (
        Draft.objects.select_related("organisation", "market")
        .filter(resume_token=token, entered_by__isnull=True)
        .first()
    )


def remember_in_session(request, draft: Draft) -> None:
    """Ties the draft to this browser: the entry page then offers to continue it."""
    drafts = dict(request.session.get(SESSION_KEY, {}))
    drafts[_session_slot(draft.organisation_id, draft.market_id)] = draft.resume_token
    request.session[SESSION_KEY] = drafts


def draft_from_session(request, *, organisation: Organisation, market: Market | None) -> Draft | None:
    token = request.session.get(SESSION_KEY, {}).get(_session_slot(organisation.pk, market.pk if market else None))
    if not token:
        return None
    drafts = Draft.objects.pending().filter(organisation=organisation, entered_by__isnull=True)
    return drafts.filter(resume_token=token).first()


REFUSED_RESUME_EMAIL_KEY = "annex_refused_resume_email"


def keep_refused_resume_email(request, *, draft: Draft, email: str) -> None:
    """The resume link form refused an address: the step it came from shows it again, as typed, and validates it
    again for its error (the session keeps the address, not the message). The caller cuts it to an address's
    maximum length."""
    request.session[REFUSED_RESUME_EMAIL_KEY] = {"token": draft.resume_token, "email": email}


def pop_refused_resume_email(request, *, draft: Draft) -> str | None:
    """What `keep_refused_resume_email` kept for this draft (once, "" for an empty address), or None."""
    kept = request.session.get(REFUSED_RESUME_EMAIL_KEY)
    if not kept or kept.get("token") != draft.resume_token:
        return None
    del request.session[REFUSED_RESUME_EMAIL_KEY]
    return str(kept.get("email", ""))


def _session_slot(organisation_id: int, market_id: int | None) -> str:
    return f"{organisation_id}:{market_id or ''}"


@transaction.atomic
def record_register_facts(*, draft: Draft, facts: dict, step: str, structure_name: str = "") -> None:
    """Keeps what the company register said of the SIRET typed (with the moment), and, when the candidate asked
    for it, writes the register's name in the first step's values (the candidate may still correct it)."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if locked.submitted_at is not None:
        return
    locked.register_facts = facts
    fields = ["register_facts", "updated_at"]
    if structure_name:
        data = dict(locked.data or {})
        step_values = dict(data.get(step) or {})
        step_values["structure_name"] = structure_name
        data[step] = step_values
        locked.data = data
        fields.append("data")
    locked.save(update_fields=fields)
    draft.register_facts, draft.data = locked.register_facts, locked.data
