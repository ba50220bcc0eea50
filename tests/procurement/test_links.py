"""The candidates' links and their QR codes (procurement.links), and the pages and documents that carry them.

No QR decoder is installed: the codes are checked by their structure (the three finder patterns and the timing
lines of a QR code, read module by module), by their determinism, and by being the very bytes the pages and
documents carry.
"""

import io
import zipfile

from django.test import RequestFactory
from django.urls import reverse
from lxml import etree
from PIL import Image

from procurement import links
from procurement.enums import Role
from procurement.specifications.services import stamp_specification
from tests.procurement.factories import validated_encart
from tests.procurement.specifications.documents import minimal

SVG_NS = "http://www.w3.org/2000/svg"
PNG_SCALE, PNG_BORDER = 8, 2  # pixels per module, modules of quiet zone


def _request(host: str):
    return RequestFactory().get("/marches/", HTTP_HOST=host)


# --- Links --------------------------------------------------------------------------------------------------------


def test_a_market_link_uses_the_request_s_host(market, settings):
    settings.ALLOWED_HOSTS = ["egalite.agglo.example"]
    settings.PLATFORM_BASE_URL = "https://plateforme.example"

    url = links.market_candidate_url(market, request=_request("egalite.agglo.example"))

    assert url == f"http://egalite.agglo.example/annexe/{market.candidate_token}/"


def test_without_a_request_a_market_link_uses_the_platform_address(market, settings):
    settings.PLATFORM_BASE_URL = "https://plateforme.example/"  # the trailing slash is not doubled

    assert links.market_candidate_url(market) == f"https://plateforme.example/annexe/{market.candidate_token}/"


def test_an_explicit_base_address_wins_over_the_platform_address_and_the_request(market, settings):
    settings.PLATFORM_BASE_URL = "https://plateforme.example"

    url = links.market_candidate_url(market, request=_request("testserver"), base_url="https://autre.example")

    assert url == f"https://autre.example/annexe/{market.candidate_token}/"


def test_the_organisation_s_generic_link_follows_the_same_rule(organisation, settings):
    settings.PLATFORM_BASE_URL = "https://plateforme.example"

    assert links.organisation_candidate_url(organisation) == "https://plateforme.example/annexe/organisation/agglo-a/"
    assert (
        links.organisation_candidate_url(organisation, request=_request("testserver"))
        == "http://testserver/annexe/organisation/agglo-a/"
    )


def test_a_market_link_opens_that_market_s_annex(client, market):
    response = client.get(links.market_candidate_url(market, request=_request("testserver")))

    assert response.status_code == 200
    assert market.reference in response.content.decode()


# --- QR codes -----------------------------------------------------------------------------------------------------


def _modules(png: bytes) -> list[list[bool]]:
    """The QR code's modules (True = dark), read at the centre of each one."""
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert width == height and width % PNG_SCALE == 0
    grey = image.convert("L")
    count = width // PNG_SCALE - 2 * PNG_BORDER
    offset = PNG_BORDER * PNG_SCALE + PNG_SCALE // 2
    return [
        [grey.getpixel((offset + column * PNG_SCALE, offset + row * PNG_SCALE)) < 128 for column in range(count)]
        for row in range(count)
    ]


def _is_finder(modules: list[list[bool]], top: int, left: int) -> bool:
    """A 7×7 finder pattern: dark ring, light ring, dark 3×3 centre."""
    for row in range(7):
        for column in range(7):
            ring = max(abs(row - 3), abs(column - 3))
            if modules[top + row][left + column] != (ring != 2):
                return False
    return True


def test_the_png_qr_code_has_the_structure_of_a_qr_code():
    modules = _modules(links.qr_png("https://plateforme.example/annexe/jeton/"))
    size = len(modules)

    assert size >= 21 and (size - 17) % 4 == 0  # version 1 is 21 modules, each version adds 4
    assert _is_finder(modules, 0, 0) and _is_finder(modules, 0, size - 7) and _is_finder(modules, size - 7, 0)
    assert not _is_finder(modules, size - 7, size - 7)
    timing = [modules[6][column] for column in range(8, size - 8)]
    assert timing == [index % 2 == 0 for index in range(len(timing))]


def test_the_same_link_gives_the_same_codes_and_another_link_other_codes():
    url, other = "https://plateforme.example/annexe/jeton-a/", "https://plateforme.example/annexe/jeton-b/"

    assert links.qr_png(url) == links.qr_png(url)
    assert links.qr_svg(url, title="t") == links.qr_svg(url, title="t")
    assert _modules(links.qr_png(url)) != _modules(links.qr_png(other))
    assert links.qr_svg(url, title="t") != links.qr_svg(other, title="t")


def test_the_svg_qr_code_is_a_standalone_svg_file_with_its_title():
    svg = etree.fromstring(links.qr_svg("https://plateforme.example/annexe/jeton/", title="Lien du marché M-1"))

    assert svg.tag == f"{{{SVG_NS}}}svg"
    assert svg.get("width") == svg.get("height")
    assert svg.findtext(f"{{{SVG_NS}}}title") == "Lien du marché M-1"
    assert svg.find(f"{{{SVG_NS}}}path") is not None


def test_the_inline_svg_is_an_svg_element_to_write_in_a_page():
    svg = links.qr_svg_inline("otpauth://totp/exemple?secret=ABC", title="QR code à scanner")

    assert svg.startswith("<svg") and "<?xml" not in svg
    assert "<title>QR code à scanner</title>" in svg


# --- Where the links and codes are used ---------------------------------------------------------------------------


def test_the_market_s_qr_code_page_gives_the_code_of_the_link_shown_on_the_market(buyer_client, market):
    detail = buyer_client.get(reverse("procurement:market_detail", kwargs={"pk": market.pk}))
    qr = buyer_client.get(reverse("procurement:market_qrcode", kwargs={"pk": market.pk}))

    url = links.market_candidate_url(market, request=_request("testserver"))
    assert f'href="{url}"' in detail.content.decode()
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content == links.qr_svg(url, title=f"Lien de l'annexe égalité du marché {market.reference}")


def test_a_stamped_cahier_des_charges_carries_the_qr_code_of_its_link(market):
    url = "https://plateforme.example/annexe/jeton-du-marche/"
    validated_encart(organisation=market.organisation)
    record = stamp_specification(market=market, content=minimal(), filename="cctp.docx", annex_url=url, user=None)

    with record.output.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert archive.read("word/media/egalite-qr.png") == links.qr_png(url)


def test_the_fiche_carries_the_market_s_link_and_its_qr_code(client_with_role, market):
    client = client_with_role(Role.FACILITATOR)

    response = client.get(reverse("questionnaire:market_fiche_docx", kwargs={"pk": market.pk}))

    url = links.market_candidate_url(market, request=_request("testserver"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert archive.read("word/media/qr.png") == links.qr_png(url)
        assert url.encode() in archive.read("word/_rels/document.xml.rels")
