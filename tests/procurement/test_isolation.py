"""Staff of buyer A never reach buyer B's markets: every market URL answers 404."""

import pytest
from django.urls import URLPattern, get_resolver, reverse

from procurement.enums import Role
from procurement.services.organisations import set_membership
from tests.procurement.factories import LotFactory, MarketFactory, member
from tests.utils import text_of


def _market_patterns() -> dict[str, URLPattern]:
    procurement_patterns = get_resolver().namespace_dict["procurement"][1].url_patterns
    return {
        p.name: p for p in procurement_patterns if isinstance(p, URLPattern) and "pk" in p.pattern.regex.groupindex
    }


def market_url_names() -> list[str]:
    return sorted(_market_patterns())


def market_url_kwargs(url_name: str) -> set[str]:
    return set(_market_patterns()[url_name].pattern.regex.groupindex)


def test_market_urls_are_found():
    # Guards the parametrisation below from silently testing nothing.
    assert {"market_detail", "market_update", "market_qrcode", "lot_delete"} <= set(market_url_names())


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize("url_name", market_url_names())
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_of_a_get_404_on_every_market_url_of_b(client_with_role, other_organisation, role, url_name, method):
    market_of_b = MarketFactory(organisation=other_organisation)
    lot_of_b = LotFactory(market=market_of_b)
    client = client_with_role(role)

    kwargs = {"pk": market_of_b.pk}
    if "lot_pk" in market_url_kwargs(url_name):
        kwargs["lot_pk"] = lot_of_b.pk
    response = getattr(client, method)(reverse(f"procurement:{url_name}", kwargs=kwargs))

    assert response.status_code == 404
    market_of_b.refresh_from_db()
    assert market_of_b.lots.count() == 1


def test_market_list_shows_only_the_current_organisation(buyer_client, organisation, other_organisation):
    MarketFactory(organisation=organisation, reference="A-001")
    MarketFactory(organisation=other_organisation, reference="B-001")

    content = text_of(buyer_client.get(reverse("procurement:market_list")))

    assert "A-001" in content
    assert "B-001" not in content


def test_a_member_of_both_sees_b_only_after_switching(client, organisation, other_organisation):
    user = member(organisation=organisation, role=Role.BUYER)
    MarketFactory(organisation=organisation, reference="A-001")
    market_of_b = MarketFactory(organisation=other_organisation, reference="B-001")
    set_membership(user=user, organisation=other_organisation, role=Role.EQUALITY_OFFICER)
    client.force_login(user)
    detail_of_b = reverse("procurement:market_detail", kwargs={"pk": market_of_b.pk})
    assert client.get(detail_of_b).status_code == 404

    response = client.post(reverse("switch_organisation"), {"organisation": other_organisation.pk}, follow=True)

    assert "B-001" in text_of(response)
    assert client.get(detail_of_b).status_code == 200


def test_switching_to_an_organisation_without_membership_is_refused(buyer_client, organisation, other_organisation):
    response = buyer_client.post(reverse("switch_organisation"), {"organisation": other_organisation.pk}, follow=True)

    assert "Vous n'êtes pas rattaché·e à cette organisation." in text_of(response)
    assert response.context["current_organisation"] == organisation
