"""The authorisation matrix: every URL of the URL map, for every role of buyer A, against the objects of buyer B
and of buyer A.

Each URL name has a rule below; a new URL without a rule fails `test_every_url_has_a_rule`. For a staff page:
- buyer B's objects answer 404 to every role of buyer A (their existence is not revealed, no 200 ever);
- on buyer A's objects, the roles of the rule get through (neither 403 nor 404), the other roles get 403;
  a rule's roles are the capability of `procurement.permissions` the page stands for (who holds it is decided there);
- without login, the page sends to the login page.
Public pages (the candidates' annex, login, password reset, an invitation's link) answer without login. The admin
site and the platform pages are for platform administrators only.

The API's operations (access "api") follow the same rule with a token of each role of buyer A instead of a session:
buyer B's objects answer 404 to every role, the roles of the capability get through, the others get 403; without a
token, 401.
"""

import contextlib
import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from analytics import services as analytics_services
from analytics.models import IndicatorSnapshot
from analytics.open_data import services as open_data_services
from api import services as api_services
from clauses.models import Mission
from procurement.accounts.services import members as members_services
from procurement.accounts.services import profile as profile_services
from procurement.awards.enums import HolderRole
from procurement.enums import Role
from procurement.models import DecpImport, MarketHolder, Membership
from procurement.permissions import (
    ANY_MEMBER,
    EDIT_CLAUSE_SETTINGS,
    EDIT_CLAUSES,
    EDIT_LEGAL_DETAILS,
    EDIT_MARKETS,
    EDIT_QUESTIONNAIRE_SETTINGS,
    EDIT_SPECIFICATION_TEXTS,
    EDIT_STATISTICS_SETTINGS,
    ENTER_PAPER_ANNEXES,
    FREEZE_SNAPSHOTS,
    MANAGE_API_TOKENS,
    MANAGE_MEMBERS,
    MANAGE_PARTICIPANTS,
    PUBLISH_OPEN_DATA,
    READ_ANNEX_RESPONSES,
    READ_PARTICIPANT_ACCESS_LOG,
    READ_STATISTICS,
    REMOVE_ANNEX_RESPONSES,
    SEND_REMINDERS,
    STAMP_SPECIFICATIONS,
)
from procurement.specifications.enums import SpecificationTextKind
from procurement.specifications.selectors import SLUG_OF_KIND
from procurement.specifications.services import stamp_specification
from questionnaire.models import Reminder
from questionnaire.services import receipts
from questionnaire.titulaires import services as titulaires_services
from tests.analytics.factories import computed_job_2025
from tests.api.factories import bearer, new_token
from tests.clauses.factories import InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.awards.factories import company
from tests.procurement.factories import LotFactory, MarketFactory, OrganisationFactory, member, validated_encart
from tests.procurement.specifications.documents import minimal
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory, pdf_attachment
from tests.utils import committed_for_module


@dataclass
class Rule:
    # "public", "login" (any signed-in account), "member" (roles of the current organisation), "platform"
    # (platform administrators only) or "api" (a token of the organisation with a role)
    access: str
    roles: frozenset = ANY_MEMBER
    kwargs: str | None = None  # name of the World method giving the URL's arguments for one buyer
    method: str = "get"
    destructive: bool = False  # a successful call removes the object: check one allowed role only
    query: str = ""
    # The arguments name a buyer's object (market, response...), not a format or a text kind shared by all.
    scoped: bool = True


@dataclass
class Buyer:
    """One buyer's objects, one of each kind a URL can point to."""

    organisation: object
    objects: dict = field(default_factory=dict)


def _build(organisation, django_capture_on_commit_callbacks) -> Buyer:
    staff = member(organisation=organisation, role=Role.BUYER)
    market = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal(500))
    lot = LotFactory(market=market, number=1)
    validated_encart(organisation=organisation)
    stamped = stamp_specification(
        market=market, content=minimal(), filename="cctp.docx", annex_url="https://exemple.fr/annexe/x/", user=staff
    )
    response = AnnexResponseFactory(organisation=organisation, market=market)
    attachment = pdf_attachment(organisation=organisation, response=response)
    public_draft = DraftFactory(organisation=organisation, market=market)
    submitted_draft = DraftFactory(
        organisation=organisation, market=market, submitted_at=datetime.datetime.now(datetime.UTC)
    )
    submitted_response = AnnexResponseFactory(
        organisation=organisation, market=market, draft=submitted_draft, contact_email="rh@candidat.example"
    )
    staff_draft = DraftFactory(organisation=organisation, market=market, entered_by=staff)
    staff_submitted = DraftFactory(
        organisation=organisation, market=market, entered_by=staff, submitted_at=datetime.datetime.now(datetime.UTC)
    )
    AnnexResponseFactory(organisation=organisation, market=market, draft=staff_submitted)
    job = computed_job_2025(django_capture_on_commit_callbacks, organisation=organisation, requested_by=staff)
    snapshot = IndicatorSnapshot.objects.get(organisation=organisation)
    # 2025 frozen and published as open data by an administrator: the public pages have a year to show.
    administrator = member(organisation=organisation, role=Role.ADMIN)
    snapshot = analytics_services.freeze_snapshot(snapshot=snapshot, frozen_by=administrator)
    publication = open_data_services.publish(snapshot=snapshot, published_by=administrator)
    clause = InsertionClauseFactory(market=market)
    participant = ParticipantFactory(organisation=organisation)
    mission: Mission = MissionFactory(participant=participant, market=market)
    api_token, _secret = new_token(organisation=organisation)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = members_services.invite(
            organisation=organisation, email=f"invite@{organisation.slug}.example", role=Role.BUYER, invited_by=staff
        )
    decp_import = DecpImport.objects.create(organisation=organisation, file_name="decp.json", schema_version="2.0")
    # A titulaire of the market (its own SIREN per buyer), reminded once.
    siren, siret = company(f"5{organisation.pk:07d}")
    MarketHolder.objects.create(
        market=market, role=HolderRole.TITULAIRE, identifier=siret, siret=siret, siren=siren, name="Titulaire"
    )
    reminder = Reminder.objects.create(
        organisation=organisation,
        siren=siren,
        company_name="Titulaire",
        market=market,
        channel="email",
        email="contact@titulaire.example",
        sent_at=datetime.datetime.now(datetime.UTC),
    )
    return Buyer(
        organisation,
        {
            "decp_import": decp_import,
            "titulaire_siren": siren,
            "reminder": reminder,
            "market": market,
            "lot": lot,
            "stamped": stamped,
            "response": response,
            "attachment": attachment,
            "public_draft": public_draft,
            "submitted_draft": submitted_draft,
            "submitted_response": submitted_response,
            "staff_draft": staff_draft,
            "staff_submitted": staff_submitted,
            "job": job,
            "snapshot": snapshot,
            "publication": publication,
            "clause": clause,
            "participant": participant,
            "mission": mission,
            "membership": Membership.objects.get(user=staff, organisation=organisation),
            "invitation": invitation,
            "api_token": api_token,
        },
    )


class World:
    """URL arguments for one buyer's objects."""

    def __init__(self, buyer: Buyer):
        self.o = buyer.objects
        self.organisation = buyer.organisation

    def market(self):
        return {"pk": self.o["market"].pk}

    def lot(self):
        return {"pk": self.o["market"].pk, "lot_pk": self.o["lot"].pk}

    def stamped(self):
        return {"pk": self.o["market"].pk, "document_pk": self.o["stamped"].pk}

    def response(self):
        return {"pk": self.o["response"].pk}

    def attachment(self):
        return {"pk": self.o["response"].pk, "attachment_pk": self.o["attachment"].pk}

    def public_draft(self):
        return {"token": self.o["public_draft"].resume_token}

    def public_step(self):
        return {"token": self.o["public_draft"].resume_token, "step": "structure"}

    def submitted_draft(self):
        return {"token": self.o["submitted_draft"].resume_token}

    def address_confirmation(self):
        return {"signature": receipts.address_confirmation_token(self.o["submitted_response"])}

    def staff_step(self):
        return {"token": self.o["staff_draft"].resume_token, "step": "structure"}

    def staff_submitted(self):
        return {"token": self.o["staff_submitted"].resume_token}

    def company(self):
        return {"siren": self.o["titulaire_siren"]}

    def reminder_letter(self):
        return {"pk": self.o["reminder"].pk, "letter_format": "pdf"}

    def reminder_opt_out(self):
        return {"signature": titulaires_services.opt_out_token(self.o["reminder"])}

    def decp_import(self):
        return {"pk": self.o["decp_import"].pk}

    def market_token(self):
        return {"token": self.o["market"].candidate_token}

    def organisation_slug(self):
        return {"slug": self.organisation.slug}

    def job(self):
        return {"pk": self.o["job"].pk}

    def snapshot(self):
        return {"pk": self.o["snapshot"].pk}

    def publication(self):
        return {"pk": self.o["publication"].pk}

    def published_year(self):
        return {"slug": self.organisation.slug, "year": self.o["publication"].year}

    def snapshot_export(self):
        return {"pk": self.o["snapshot"].pk, "export_format": "csv"}

    def clause_market(self):
        return {"market_pk": self.o["market"].pk}

    def clause(self):
        return {"market_pk": self.o["market"].pk, "clause_pk": self.o["clause"].pk}

    def participant(self):
        return {"participant_pk": self.o["participant"].pk}

    def mission(self):
        return {"participant_pk": self.o["participant"].pk, "mission_pk": self.o["mission"].pk}

    def text_kind(self):
        return {"kind": SLUG_OF_KIND[SpecificationTextKind.ENCART]}

    def export_format(self):
        return {"file_format": "csv"}

    def membership(self):
        return {"pk": self.o["membership"].pk}

    def invitation(self):
        return {"pk": self.o["invitation"].pk}

    def invitation_token(self):
        return {"token": members_services.invitation_token(self.o["invitation"])}

    def email_change_token(self):
        user = self.o["membership"].user
        url = profile_services.email_change_url(user=user, new_email="nouvelle@exemple.fr")
        return {"token": url.rstrip("/").rsplit("/", 1)[-1]}

    def api_token(self):
        return {"pk": self.o["api_token"].pk}

    def reset_link(self):
        return {"uidb64": "MQ", "token": "jeton-invalide"}


RULES: dict[str, Rule] = {
    # Accounts
    "home": Rule("login"),
    "login": Rule("public"),
    "logout": Rule("login", method="post"),
    "second_factor_verify": Rule("login"),
    "second_factor_setup": Rule("login"),
    "password_reset": Rule("public"),
    "password_reset_done": Rule("public"),
    "password_reset_confirm": Rule("public", kwargs="reset_link"),
    "password_reset_complete": Rule("public"),
    "switch_organisation": Rule("login", method="post"),
    "members": Rule("member", MANAGE_MEMBERS),
    "members_log": Rule("member", MANAGE_MEMBERS),
    "member_invite": Rule("member", MANAGE_MEMBERS),
    "member_role": Rule("member", MANAGE_MEMBERS, "membership"),
    "member_deactivate": Rule("member", MANAGE_MEMBERS, "membership"),
    "member_reactivate": Rule("member", MANAGE_MEMBERS, "membership", method="post"),
    "invitation_resend": Rule("member", MANAGE_MEMBERS, "invitation", method="post"),
    "invitation_cancel": Rule("member", MANAGE_MEMBERS, "invitation"),
    "invitation_accept": Rule("public", kwargs="invitation_token"),
    "profile": Rule("login"),
    "password_change": Rule("login"),
    "email_change": Rule("login"),
    "email_change_confirm": Rule("login", kwargs="email_change_token"),
    "platform_organisations": Rule("platform"),
    "registers:egapro_import": Rule("platform"),
    "privacy": Rule("member", ANY_MEMBER),
    "legal_details": Rule("member", EDIT_LEGAL_DETAILS),
    # Public legal pages, linked from every footer
    "legal_notice": Rule("public"),
    "public_privacy": Rule("public"),
    "accessibility": Rule("public"),
    # Markets and cahiers des charges
    "procurement:market_list": Rule("member", ANY_MEMBER),
    "procurement:market_create": Rule("member", EDIT_MARKETS),
    "procurement:market_import": Rule("member", EDIT_MARKETS),
    "procurement:decp_import": Rule("member", EDIT_MARKETS),
    "procurement:decp_import_detail": Rule("member", EDIT_MARKETS, "decp_import"),
    "procurement:market_import_model": Rule("member", EDIT_MARKETS, "export_format", scoped=False),
    "procurement:market_detail": Rule("member", ANY_MEMBER, "market"),
    "procurement:market_update": Rule("member", EDIT_MARKETS, "market"),
    "procurement:market_qrcode": Rule("member", ANY_MEMBER, "market"),
    "procurement:market_reopen_annex": Rule("member", EDIT_MARKETS, "market"),
    "procurement:lot_delete": Rule("member", EDIT_MARKETS, "lot", method="post", destructive=True),
    "procurement:market_specification": Rule("member", STAMP_SPECIFICATIONS, "market"),
    "questionnaire:market_fiche_docx": Rule("member", ANY_MEMBER, "market"),
    "questionnaire:market_fiche_pdf": Rule("member", ANY_MEMBER, "market"),
    "procurement:stamped_download": Rule("member", STAMP_SPECIFICATIONS, "stamped"),
    "procurement:stamped_preview": Rule("member", STAMP_SPECIFICATIONS, "stamped"),
    "specifications:index": Rule("member", ANY_MEMBER),
    "specifications:text_edit": Rule("member", EDIT_SPECIFICATION_TEXTS, "text_kind", scoped=False),
    "specifications:text_versions": Rule("member", ANY_MEMBER, "text_kind", scoped=False),
    "specifications:text_validate": Rule("member", EDIT_SPECIFICATION_TEXTS, "text_kind", method="post", scoped=False),
    # Annexe égalité: candidates (public, the unguessable token is the key)
    "questionnaire:market_entry": Rule("public", kwargs="market_token"),
    "questionnaire:organisation_entry": Rule("public", kwargs="organisation_slug"),
    "questionnaire:resume": Rule("public", kwargs="public_draft"),
    "questionnaire:send_resume_link": Rule("public", kwargs="public_draft", method="post"),
    "questionnaire:wizard_step": Rule("public", kwargs="public_step"),
    "questionnaire:confirmation": Rule("public", kwargs="submitted_draft"),
    "questionnaire:receipt_pdf": Rule("public", kwargs="submitted_draft"),
    "questionnaire:confirm_address": Rule("public", kwargs="address_confirmation"),
    "questionnaire:thanks": Rule("public"),
    # Annexe égalité: staff
    "responses:list": Rule("member", READ_ANNEX_RESPONSES),
    "responses:export": Rule("member", READ_ANNEX_RESPONSES, "export_format", scoped=False),
    "responses:import": Rule("member", READ_ANNEX_RESPONSES),
    "responses:import_model": Rule("member", READ_ANNEX_RESPONSES, "export_format", scoped=False),
    "responses:settings": Rule("member", EDIT_QUESTIONNAIRE_SETTINGS),
    "responses:detail": Rule("member", READ_ANNEX_RESPONSES, "response"),
    "responses:remove": Rule("member", REMOVE_ANNEX_RESPONSES, "response"),
    "responses:attachment": Rule("member", READ_ANNEX_RESPONSES, "attachment"),
    "responses:staff_entry": Rule("member", ENTER_PAPER_ANNEXES),
    "questionnaire:staff_wizard_step": Rule("member", ENTER_PAPER_ANNEXES, "staff_step"),
    "questionnaire:staff_confirmation": Rule("member", ENTER_PAPER_ANNEXES, "staff_submitted"),
    "questionnaire:staff_receipt_pdf": Rule("member", ENTER_PAPER_ANNEXES, "staff_submitted"),
    # Titulaires: what they answered (readers of the answers), reminders (SEND_REMINDERS); a company's refusal
    # of reminders by e-mail is public (the signed link of the e-mail is the key).
    "titulaires:list": Rule("member", READ_ANNEX_RESPONSES),
    "titulaires:export": Rule("member", READ_ANNEX_RESPONSES, "export_format", scoped=False),
    "titulaires:company": Rule("member", READ_ANNEX_RESPONSES, "company"),
    "titulaires:remind": Rule("member", SEND_REMINDERS, "company", method="post"),
    "titulaires:reminder_letter": Rule("member", SEND_REMINDERS, "reminder_letter"),
    "questionnaire:reminder_opt_out": Rule("public", kwargs="reminder_opt_out"),
    # Statistiques
    "analytics:dashboard": Rule("member", READ_STATISTICS),
    "analytics:compute": Rule("member", READ_STATISTICS, method="post"),
    "analytics:job_status": Rule("member", READ_STATISTICS, "job"),
    "analytics:job_retry": Rule("member", READ_STATISTICS, "job", method="post"),
    "analytics:freeze": Rule("member", FREEZE_SNAPSHOTS, "snapshot", method="post"),
    "analytics:export": Rule("member", READ_STATISTICS, "snapshot_export"),
    "analytics:settings": Rule("member", EDIT_STATISTICS_SETTINGS),
    "analytics:open_data": Rule("member", PUBLISH_OPEN_DATA),
    "analytics:open_data_publish": Rule("member", PUBLISH_OPEN_DATA, "snapshot"),
    "analytics:open_data_unpublish": Rule("member", PUBLISH_OPEN_DATA, "publication"),
    # Données ouvertes: public (what an administrator published, nothing else)
    "open_data:index": Rule("public"),
    "open_data:catalogue": Rule("public"),
    "open_data:schema": Rule("public"),
    "open_data:organisation": Rule("public", kwargs="organisation_slug"),
    "open_data:organisation_catalogue": Rule("public", kwargs="organisation_slug"),
    "open_data:csv": Rule("public", kwargs="published_year"),
    # Clauses d'insertion
    "clauses_report:report": Rule("member", ANY_MEMBER),
    "clauses_report:workbook": Rule("member", ANY_MEMBER),
    "clauses:index": Rule("member", ANY_MEMBER),
    "clauses:market": Rule("member", ANY_MEMBER, "clause_market"),
    "clauses:clause_create": Rule("member", EDIT_CLAUSES, "clause_market"),
    "clauses:clause_update": Rule("member", EDIT_CLAUSES, "clause"),
    "clauses:participant_list": Rule("member", MANAGE_PARTICIPANTS),
    "clauses:participant_create": Rule("member", MANAGE_PARTICIPANTS),
    "clauses:participant_detail": Rule("member", MANAGE_PARTICIPANTS, "participant"),
    "clauses:participant_update": Rule("member", MANAGE_PARTICIPANTS, "participant"),
    "clauses:mission_create": Rule("member", MANAGE_PARTICIPANTS, "participant"),
    "clauses:mission_update": Rule("member", MANAGE_PARTICIPANTS, "mission"),
    "clauses:mission_hours": Rule("member", MANAGE_PARTICIPANTS, "mission"),
    "clauses:hours_import": Rule("member", MANAGE_PARTICIPANTS),
    "clauses:hours_import_model": Rule("member", MANAGE_PARTICIPANTS, "export_format", scoped=False),
    "clauses:access_log": Rule("member", READ_PARTICIPANT_ACCESS_LOG),
    "clauses:settings": Rule("member", EDIT_CLAUSE_SETTINGS),
    # API tokens (pages of the organisation's administrators)
    "api_tokens:list": Rule("member", MANAGE_API_TOKENS),
    "api_tokens:create": Rule("member", MANAGE_API_TOKENS),
    "api_tokens:calls": Rule("member", MANAGE_API_TOKENS),
    "api_tokens:revoke": Rule("member", MANAGE_API_TOKENS, "api_token"),
    # The API: its document and documentation are public, each operation takes a token
    "api:schema": Rule("public"),
    "api:docs": Rule("public"),
    "api:markets": Rule("api", ANY_MEMBER),
    "api:market": Rule("api", ANY_MEMBER, "market"),
    "api:market_import": Rule("api", EDIT_MARKETS, method="post"),
    "api:market_candidate_link": Rule("api", ANY_MEMBER, "market"),
    "api:market_qrcode": Rule("api", ANY_MEMBER, "market"),
    "api:market_specification": Rule("api", STAMP_SPECIFICATIONS, "market", method="post"),
    "api:responses": Rule("api", READ_ANNEX_RESPONSES),
    "api:response": Rule("api", READ_ANNEX_RESPONSES, "response"),
    "api:indicators": Rule("api", READ_STATISTICS, query="?year=2025"),
    "api:jobs": Rule("api", READ_STATISTICS, method="post"),
    "api:job": Rule("api", READ_STATISTICS, "job"),
    "api:snapshots": Rule("api", READ_STATISTICS),
    "api:snapshot": Rule("api", READ_STATISTICS, "snapshot"),
    "api:clause_hours": Rule("api", MANAGE_PARTICIPANTS, method="post"),
    "api:clause_report": Rule("api", ANY_MEMBER),
}

# The API's operations that write, with the capability of the write (the rule above gives the read's):
# POST /markets/ creates, PATCH /markets/<pk>/ updates.
API_WRITES: dict[str, tuple[str, frozenset]] = {
    "api:markets": ("post", EDIT_MARKETS),
    "api:market": ("patch", EDIT_MARKETS),
}


def _url_names(patterns=None, namespace: str | None = None):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def _project_url_names() -> set[str]:
    return {name for name in _url_names() if not name.startswith("admin:")}


def test_every_url_has_a_rule():
    names = _project_url_names()
    assert names - RULES.keys() == set(), "URL sans règle d'accès : ajoutez-la à RULES"
    assert RULES.keys() - names == set(), "règle pour une URL qui n'existe plus"


@pytest.fixture(scope="module")
def _committed_buyers(django_db_setup, django_db_blocker) -> Iterator[tuple[Buyer, Buyer]]:
    """The two buyers, built once for the module (a build takes about a second: a stamped .docx, a computed year,
    a receipt) and committed; what a test writes or deletes is rolled back with its own transaction."""
    with committed_for_module(django_db_blocker):
        a, b = OrganisationFactory(slug="acheteur-a"), OrganisationFactory(slug="acheteur-b")
        # Outside a transaction, on-commit callbacks (the indicator job, the invitation's e-mail) run at once.
        yield _build(a, _run_at_once), _build(b, _run_at_once)


def _run_at_once(execute: bool):
    return contextlib.nullcontext()


@pytest.fixture
def buyers(_committed_buyers) -> tuple[Buyer, Buyer]:
    return _committed_buyers


def _url(name: str, rule: Rule, buyer: Buyer) -> str:
    kwargs = getattr(World(buyer), rule.kwargs)() if rule.kwargs else {}
    return reverse(name, kwargs=kwargs) + rule.query


def _call(client, rule: Rule, url: str):
    return client.post(url) if rule.method == "post" else client.get(url)


MEMBER_RULES = sorted(name for name, rule in RULES.items() if rule.access == "member")


@pytest.mark.parametrize("name", MEMBER_RULES)
def test_staff_pages_follow_their_rule_for_every_role(client, buyers, name):
    rule = RULES[name]
    a, b = buyers
    # Roles without access first, so that a destructive call by an allowed role comes last.
    roles = sorted(Role.values, key=lambda role: role in rule.roles)
    checked_allowed = False
    for role in roles:
        client.force_login(member(organisation=a.organisation, role=role))
        if rule.kwargs and rule.scoped:
            other = _call(client, rule, _url(name, rule, b))
            assert other.status_code == 404, f"{name} : {role} de A sur un objet de B → {other.status_code}"
        if role in rule.roles and rule.destructive and checked_allowed:
            continue
        own = _call(client, rule, _url(name, rule, a))
        if role in rule.roles:
            assert own.status_code not in (403, 404, 405), f"{name} : {role} refusé·e ({own.status_code})"
            checked_allowed = True
        else:
            assert own.status_code == 403, f"{name} : {role} devrait être refusé·e ({own.status_code})"
        client.logout()


@pytest.mark.parametrize("name", MEMBER_RULES + sorted(n for n, r in RULES.items() if r.access == "login"))
def test_staff_pages_need_a_login(client, buyers, name):
    rule = RULES[name]
    response = _call(client, rule, _url(name, rule, buyers[0]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if rule.access == "public"))
def test_public_pages_answer_without_login(client, buyers, name):
    rule = RULES[name]
    response = _call(client, rule, _url(name, rule, buyers[0]))
    assert response.status_code in (200, 302), f"{name} → {response.status_code}"
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", sorted(name for name, rule in RULES.items() if rule.access == "platform"))
def test_platform_pages_are_for_platform_administrators_only(client, buyers, django_user_model, name):
    rule = RULES[name]
    url = _url(name, rule, buyers[0])
    assert _call(client, rule, url)["Location"].startswith(reverse("login"))
    for role in Role.values:
        client.force_login(member(organisation=buyers[0].organisation, role=role))
        assert _call(client, rule, url).status_code == 403, f"{name} : {role} devrait être refusé·e"
    client.force_login(django_user_model.objects.create_superuser(email="racine@exemple.fr", password="x" * 20))
    assert _call(client, rule, url).status_code == 200


def test_the_admin_site_is_for_platform_administrators_only(client, client_with_role, django_user_model):
    assert client_with_role(Role.ADMIN).get("/admin/")["Location"].startswith("/admin/login/")
    superuser = django_user_model.objects.create_superuser(email="racine@exemple.fr", password="x" * 20)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


# Consolidated snapshots and jobs ---------------------------------------------------------------------------------
# A platform administrator may compute several organisations together from a buyer's dashboard. The result is
# stored under that buyer, but no role of the buyer may read it: subtracting the buyer's own figures would give the
# other buyers' figures exactly, statistical secrecy or not. Download, state, freeze and retry answer 404 to every
# role of the organisation, and get through for a platform administrator.


@pytest.fixture
def consolidated(buyers, django_capture_on_commit_callbacks):
    a, b = buyers
    administrator = member(organisation=a.organisation, role=Role.ADMIN)
    administrator.is_superuser = True
    administrator.save()
    job = computed_job_2025(
        django_capture_on_commit_callbacks,
        organisation=a.organisation,
        organisations=[a.organisation, b.organisation],
        requested_by=administrator,
    )
    assert job.snapshot is not None and "," in job.snapshot.scope_key
    failed = analytics_services.IndicatorJob.objects.get(pk=job.pk)
    analytics_services.IndicatorJob.objects.filter(pk=job.pk).update(
        status=analytics_services.JobStatus.FAILED, error="Échec."
    )
    return a, administrator, job.snapshot, failed


def _consolidated_calls(client, snapshot, job) -> dict[str, int]:
    return {
        "download": client.get(reverse("analytics:export", args=[snapshot.pk, "csv"])).status_code,
        "state": client.get(reverse("analytics:job_status", args=[job.pk])).status_code,
        "freeze": client.post(reverse("analytics:freeze", args=[snapshot.pk])).status_code,
        "retry": client.post(reverse("analytics:job_retry", args=[job.pk])).status_code,
    }


@pytest.mark.parametrize("role", sorted(Role.values))
def test_a_consolidated_snapshot_and_its_job_answer_404_to_every_role_of_the_organisation(client, consolidated, role):
    a, _administrator, snapshot, job = consolidated
    client.force_login(member(organisation=a.organisation, role=role))

    statuses = _consolidated_calls(client, snapshot, job)

    assert statuses == {"download": 404, "state": 404, "freeze": 404, "retry": 404}
    snapshot.refresh_from_db()
    job.refresh_from_db()
    assert not snapshot.is_frozen
    assert job.status == analytics_services.JobStatus.FAILED


def test_a_consolidated_snapshot_and_its_job_are_open_to_a_platform_administrator(client, consolidated):
    _a, administrator, snapshot, job = consolidated
    client.force_login(administrator)

    statuses = _consolidated_calls(client, snapshot, job)

    assert statuses == {"download": 200, "state": 200, "freeze": 302, "retry": 302}
    snapshot.refresh_from_db()
    assert snapshot.is_frozen


@pytest.mark.parametrize("role", sorted(Role.values))
def test_the_services_refuse_to_freeze_or_retry_a_consolidated_result_for_a_role_of_the_organisation(
    consolidated, role
):
    a, _administrator, snapshot, job = consolidated
    user = member(organisation=a.organisation, role=role)

    with pytest.raises(analytics_services.AnalyticsError, match="administrateur·rice de la plateforme"):
        analytics_services.freeze_snapshot(snapshot=snapshot, frozen_by=user)
    with pytest.raises(analytics_services.AnalyticsError, match="administrateur·rice de la plateforme"):
        analytics_services.retry_job(job=job, requested_by=user)


# The API ------------------------------------------------------------------------------------------------------------

API_RULES = sorted(
    [(name, rule.method, rule.roles) for name, rule in RULES.items() if rule.access == "api"]
    + [(name, method, roles) for name, (method, roles) in API_WRITES.items()]
)


def _api_call(client, method: str, url: str, secret: str | None):
    headers = bearer(secret) if secret else {}
    if method == "get":
        return client.get(url, **headers)
    return getattr(client, method)(url, {}, content_type="application/json", **headers)


@pytest.mark.parametrize(("name", "method", "roles"), API_RULES)
def test_api_operations_follow_their_capability_for_every_role(client, buyers, name, method, roles):
    rule = RULES[name]
    a, b = buyers
    for role in Role.values:
        _token, secret = new_token(organisation=a.organisation, role=role)
        if rule.kwargs:
            other = _api_call(client, method, _url(name, rule, b), secret)
            assert other.status_code == 404, f"{method} {name} : {role} de A sur un objet de B → {other.status_code}"
            assert other["Content-Type"] == "application/problem+json"
        own = _api_call(client, method, _url(name, rule, a), secret)
        if role in roles:
            assert own.status_code not in (401, 403, 404, 405), (
                f"{method} {name} : {role} refusé·e ({own.status_code})"
            )
        else:
            assert own.status_code == 403, f"{method} {name} : {role} devrait être refusé·e ({own.status_code})"
            assert own["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(("name", "method", "roles"), API_RULES)
def test_api_operations_need_a_valid_token(client, buyers, name, method, roles):
    rule = RULES[name]
    a = buyers[0]
    token, secret = new_token(organisation=a.organisation, role=Role.ADMIN)
    api_services.revoke_token(token=token, revoked_by=None)

    for credentials in (None, secret):
        response = _api_call(client, method, _url(name, rule, a), credentials)
        assert response.status_code == 401, f"{method} {name} → {response.status_code}"
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("role", sorted(Role.values))
def test_a_consolidated_snapshot_and_its_job_answer_404_to_every_token_of_the_organisation(client, consolidated, role):
    a, _administrator, snapshot, job = consolidated
    _token, secret = new_token(organisation=a.organisation, role=role)

    statuses = {
        "snapshot": client.get(reverse("api:snapshot", args=[snapshot.pk]), **bearer(secret)).status_code,
        "job": client.get(reverse("api:job", args=[job.pk]), **bearer(secret)).status_code,
    }

    assert statuses == {"snapshot": 404, "job": 404}
