"""Generated documents: rendered once per content, tagged PDFs, the buyer's logo."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from procurement import documents
from tests.procurement.factories import OrganisationFactory
from tests.utils import image_bytes, pdf_catalog, pdf_info


def test_the_same_inputs_are_rendered_once():
    renders = []

    def render():
        renders.append(1)
        return b"%PDF-" + str(len(renders)).encode()

    first = documents.rendered_once(kind="essai", inputs=["a", b"b"], render=render)
    second = documents.rendered_once(kind="essai", inputs=["a", b"b"], render=render)

    assert first == second == b"%PDF-1"
    assert len(renders) == 1


def test_any_change_of_the_inputs_or_the_kind_renders_again():
    renders = []

    def render():
        renders.append(1)
        return b"x"

    documents.rendered_once(kind="essai", inputs=["ab", "c"], render=render)
    documents.rendered_once(kind="essai", inputs=["a", "bc"], render=render)
    documents.rendered_once(kind="autre", inputs=["ab", "c"], render=render)

    assert len(renders) == 3


def test_a_pdf_is_tagged_and_says_its_language(tmp_path):
    html = '<!DOCTYPE html><html lang="fr"><head><title>Essai</title></head><body><h1>Titre</h1></body></html>'

    pdf = documents.html_to_pdf(html)

    assert pdf_info(pdf, tmp_path)["Tagged"].strip() == "yes"
    catalog = pdf_catalog(pdf)
    assert b"/Lang (fr)" in catalog
    assert b"/StructTreeRoot" in catalog


def test_the_logo_is_read_when_it_is_png_or_jpeg():
    organisation = OrganisationFactory()
    assert documents.organisation_logo(organisation) == b""

    for image_format in ("PNG", "JPEG"):
        data = image_bytes(image_format)
        organisation.logo.save(f"logo.{image_format.lower()}", ContentFile(data))

        assert documents.organisation_logo(organisation) == data
        assert documents.image_data_uri(data).startswith(f"data:image/{image_format.lower()};base64,")


def test_a_logo_of_another_type_or_a_missing_file_is_left_out():
    organisation = OrganisationFactory()
    organisation.logo.save("logo.gif", ContentFile(image_bytes("GIF")))
    assert documents.organisation_logo(organisation) == b""

    organisation.logo.save("logo.png", ContentFile(image_bytes("PNG")))
    organisation.logo.storage.delete(organisation.logo.name)
    assert documents.organisation_logo(organisation) == b""
    assert documents.image_data_uri(b"<svg/>") == ""


def test_the_logo_field_accepts_png_and_jpeg_of_at_most_one_megabyte():
    organisation = OrganisationFactory()
    for image_format in ("PNG", "JPEG"):
        organisation.logo = SimpleUploadedFile(f"logo.{image_format.lower()}", image_bytes(image_format))
        organisation.full_clean()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.gif", image_bytes("GIF"), "Le logo doit être une image PNG ou JPEG"),
        ("logo.png", image_bytes("BMP"), "Le logo doit être une image PNG ou JPEG"),
        (
            "logo.png",
            image_bytes("PNG") + b"\0" * (1024 * 1024),
            "Le logo pèse plus de 1\u00a0Mo\u00a0; il doit peser 1\u00a0Mo au plus",
        ),
    ],
)
def test_the_logo_field_refuses_other_images_and_large_files_in_french(name, content, message):
    organisation = OrganisationFactory()
    organisation.logo = SimpleUploadedFile(name, content)

    with pytest.raises(ValidationError) as error:
        organisation.full_clean()

    assert message in " ".join(error.value.message_dict["logo"])
