from procurement.enums import Role
from tests.utils import text_of


def test_the_staff_list_gives_the_buyer_s_generic_link_and_it_opens_the_annex(client_with_role, organisation):
    client = client_with_role(Role.BUYER)
    page = text_of(client.get("/annexe-egalite/"))
    link = f"http://testserver/annexe/organisation/{organisation.slug}/"
    assert link in page

    client.logout()
    annex = client.get(link)
    assert annex.status_code == 200
    assert "ne conditionneront pas la recevabilité de la candidature" in text_of(annex)
