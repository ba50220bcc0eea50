"""Who may do what (procurement.permissions): the capabilities templates read, and menus that match the pages."""

import pytest
from django.urls import reverse

from procurement import permissions
from procurement.enums import Role

MENU_LINKS = {
    # page showing the menu: links whose presence must match the access to their page
    "procurement:market_list": ["members"],
    "clauses:index": ["clauses:participant_list", "clauses:hours_import", "clauses:access_log", "clauses:settings"],
}


def test_every_capability_is_offered_to_templates_by_its_lower_case_name():
    names = {name for name, value in vars(permissions).items() if name.isupper() and isinstance(value, frozenset)}

    assert set(permissions.CAPABILITIES) == {name.lower() for name in names}
    assert "manage_members" in permissions.CAPABILITIES


@pytest.mark.parametrize("role", Role.values)
def test_a_role_s_capabilities_are_the_sets_it_belongs_to(role):
    can = permissions.capabilities(role=role)

    assert can == {name: role in roles for name, roles in permissions.CAPABILITIES.items()}
    assert can["any_member"] is True


def test_without_a_membership_nothing_is_allowed():
    assert not any(permissions.capabilities(role=None).values())


@pytest.mark.parametrize("role", Role.values)
def test_menus_show_a_link_exactly_when_the_role_may_open_its_page(client_with_role, role):
    client = client_with_role(role)
    for page, targets in MENU_LINKS.items():
        content = client.get(reverse(page)).content.decode()
        for target in targets:
            url = reverse(target)
            shown = f'href="{url}"' in content
            opens = client.get(url).status_code != 403
            assert shown == opens, f"{role} : lien vers {target} affiché={shown}, page ouverte={opens}"


@pytest.mark.parametrize("role", Role.values)
def test_the_market_page_offers_stamping_exactly_when_the_role_may_stamp(client_with_role, market, role):
    client = client_with_role(role)
    url = reverse("procurement:market_specification", kwargs={"pk": market.pk})

    shown = (
        f'href="{url}"' in client.get(reverse("procurement:market_detail", kwargs={"pk": market.pk})).content.decode()
    )

    assert shown == (client.get(url).status_code != 403)
    assert shown == (role in permissions.STAMP_SPECIFICATIONS)
