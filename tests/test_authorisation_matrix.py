"""The authorisation matrix: every URL of the URL map, for every role of buyer A, against the objects of buyer B
and of buyer A.

Each URL name has a rule below; a new URL without a rule fails `test_every_url_has_a_rule`. For a staff page:
- buyer B's objects answer 404 to every role of buyer A (their existence is not revealed, no 200 ever);
- on buyer A's objects, the roles of the rule get through (neither 403 nor 404), the other roles get 403;
- without login, the page sends to the login page.
Public pages (the candidates' annex, login, password reset) answer without login. The admin site is for
platform administrators only.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from analytics import services as analytics_services
from analytics.models import IndicatorSnapshot
from clauses.models import Mission
from procurement.enums import Role
from procurement.specifications.enums import SpecificationTextKind
from procurement.specifications.selectors import SLUG_OF_KIND
from procurement.specifications.services import stamp_specification
from questionnaire.models import Attachment
from questionnaire.services import receipts
from tests.clauses.factories import InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.factories import LotFactory, MarketFactory, OrganisationFactory, member
from tests.procurement.specifications.documents import minimal
from tests.questionnaire.factories import AnnexResponseFactory, DraftFactory

ALL = frozenset(Role.values)
STAFF = frozenset({Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER})
EDITORS = frozenset({Role.ADMIN, Role.BUYER})
ADMIN = frozenset({Role.ADMIN})
ADMIN_OFFICER = frozenset({Role.ADMIN, Role.EQUALITY_OFFICER})
FACILITATORS = frozenset({Role.ADMIN, Role.FACILITATOR})
CLAUSE_EDITORS = frozenset({Role.ADMIN, Role.BUYER, Role.FACILITATOR})


@dataclass
class Rule:
    access: str  # "public", "login" (any signed-in account) or "member" (roles of the current organisation)
    roles: frozenset = ALL
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
    stamped = stamp_specification(
        market=market, content=minimal(), filename="cctp.docx", annex_url="https://exemple.fr/annexe/x/", user=staff
    )
    response = AnnexResponseFactory(organisation=organisation, market=market)
    attachment = Attachment(
        organisation=organisation,
        response=response,
        original_name="a.pdf",
        content_type="application/pdf",
        size=8,
        sha256="0" * 64,
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=False)
    attachment.save()
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
    with django_capture_on_commit_callbacks(execute=True):
        job = analytics_services.request_computation(
            organisation=organisation,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            requested_by=staff,
        )
    snapshot = IndicatorSnapshot.objects.get(organisation=organisation)
    clause = InsertionClauseFactory(market=market)
    participant = ParticipantFactory(organisation=organisation)
    mission: Mission = MissionFactory(participant=participant, market=market)
    return Buyer(
        organisation,
        {
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
            "clause": clause,
            "participant": participant,
            "mission": mission,
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

    def market_token(self):
        return {"token": self.o["market"].candidate_token}

    def organisation_slug(self):
        return {"slug": self.organisation.slug}

    def job(self):
        return {"pk": self.o["job"].pk}

    def snapshot(self):
        return {"pk": self.o["snapshot"].pk}

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
    "members": Rule("member", ADMIN),
    "privacy": Rule("member", ALL),
    # Markets and cahiers des charges
    "procurement:market_list": Rule("member", ALL),
    "procurement:market_create": Rule("member", EDITORS),
    "procurement:market_import": Rule("member", EDITORS),
    "procurement:market_detail": Rule("member", ALL, "market"),
    "procurement:market_update": Rule("member", EDITORS, "market"),
    "procurement:market_qrcode": Rule("member", ALL, "market"),
    "procurement:lot_delete": Rule("member", EDITORS, "lot", method="post", destructive=True),
    "procurement:market_specification": Rule("member", STAFF, "market"),
    "procurement:market_fiche_docx": Rule("member", ALL, "market"),
    "procurement:market_fiche_pdf": Rule("member", ALL, "market"),
    "procurement:stamped_download": Rule("member", STAFF, "stamped"),
    "specifications:index": Rule("member", ALL),
    "specifications:text_edit": Rule("member", ADMIN_OFFICER, "text_kind", scoped=False),
    "specifications:text_versions": Rule("member", ALL, "text_kind", scoped=False),
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
    "responses:list": Rule("member", STAFF),
    "responses:export": Rule("member", STAFF, "export_format", scoped=False),
    "responses:import": Rule("member", STAFF),
    "responses:settings": Rule("member", ADMIN_OFFICER),
    "responses:detail": Rule("member", STAFF, "response"),
    "responses:attachment": Rule("member", STAFF, "attachment"),
    "responses:staff_entry": Rule("member", STAFF),
    "questionnaire:staff_wizard_step": Rule("member", STAFF, "staff_step"),
    "questionnaire:staff_confirmation": Rule("member", STAFF, "staff_submitted"),
    "questionnaire:staff_receipt_pdf": Rule("member", STAFF, "staff_submitted"),
    # Statistiques
    "analytics:dashboard": Rule("member", STAFF),
    "analytics:compute": Rule("member", STAFF, method="post"),
    "analytics:job_status": Rule("member", STAFF, "job"),
    "analytics:job_retry": Rule("member", STAFF, "job", method="post"),
    "analytics:freeze": Rule("member", ADMIN_OFFICER, "snapshot", method="post"),
    "analytics:export": Rule("member", STAFF, "snapshot_export"),
    "analytics:settings": Rule("member", ADMIN),
    # Clauses d'insertion
    "clauses_report:report": Rule("member", ALL),
    "clauses_report:workbook": Rule("member", ALL),
    "clauses:index": Rule("member", ALL),
    "clauses:market": Rule("member", ALL, "clause_market"),
    "clauses:clause_create": Rule("member", CLAUSE_EDITORS, "clause_market"),
    "clauses:clause_update": Rule("member", CLAUSE_EDITORS, "clause"),
    "clauses:participant_list": Rule("member", FACILITATORS),
    "clauses:participant_create": Rule("member", FACILITATORS),
    "clauses:participant_detail": Rule("member", FACILITATORS, "participant"),
    "clauses:participant_update": Rule("member", FACILITATORS, "participant"),
    "clauses:mission_create": Rule("member", FACILITATORS, "participant"),
    "clauses:mission_update": Rule("member", FACILITATORS, "mission"),
    "clauses:mission_hours": Rule("member", FACILITATORS, "mission"),
    "clauses:hours_import": Rule("member", FACILITATORS),
    "clauses:access_log": Rule("member", ADMIN),
    "clauses:settings": Rule("member", ADMIN),
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


@pytest.fixture
def buyers(django_capture_on_commit_callbacks):
    a, b = OrganisationFactory(slug="acheteur-a"), OrganisationFactory(slug="acheteur-b")
    return _build(a, django_capture_on_commit_callbacks), _build(b, django_capture_on_commit_callbacks)


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


def test_the_admin_site_is_for_platform_administrators_only(client, organisation, django_user_model):
    client.force_login(member(organisation=organisation, role=Role.ADMIN))
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    superuser = django_user_model.objects.create_superuser(email="racine@exemple.fr", password="x" * 20)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
