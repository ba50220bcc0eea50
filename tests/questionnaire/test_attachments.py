"""Pièces jointes: at most 5 files of at most 10 MB, type read from the content, never from the name."""

import io
import threading
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from questionnaire.models import AnnexResponse, Attachment
from questionnaire.services import attachments
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import STEP_ATTACHMENTS, STEP_SUMMARY, AnnexWizardView
from tests.procurement.factories import MarketFactory
from tests.questionnaire.conftest import fill_all, post_step, step_url
from tests.utils import elements_of, text_of

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ooxml(main_type: str) -> bytes:
    content_types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>'
    ).encode()
    # The package relationships name its main part, as in every real document.
    relationships = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Target="word/document.xml" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
    )
    return _zip(
        {"[Content_Types].xml": content_types, "_rels/.rels": relationships, "word/document.xml": b"<w:document/>"}
    )


DOCX_BYTES = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")
XLSX_BYTES = _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
DOCM_BYTES = _ooxml("application/vnd.ms-word.document.macroEnabled.main+xml")
ODT_BYTES = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS_BYTES = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, attachments.PDF),
        (PNG_BYTES, attachments.PNG),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, attachments.JPEG),
        (DOCX_BYTES, attachments.DOCX),
        (XLSX_BYTES, attachments.XLSX),
        (ODT_BYTES, attachments.ODT),
        (ODS_BYTES, attachments.ODS),
        (EXE_BYTES, None),
        (DOCM_BYTES, None),
        (_zip({"readme.txt": b"hello"}), None),
        (b"PK\x03\x04 not really a zip", None),
        (b"<html>", None),
    ],
)
def test_type_is_read_from_the_content(content, expected):
    assert attachments.sniff_content_type(io.BytesIO(content)) == expected


# What LibreOffice writes for a document with a Basic macro (Basic/<library>/<module>.xml and the library lists,
# each listed in the manifest), and the folder it keeps scripts of other languages in (Scripts/python/...).
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
    "{entries}"
    '<manifest:file-entry manifest:full-path="Configurations2/" '
    'manifest:media-type="application/vnd.sun.xml.ui.configuration"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
BASIC_MODULE = (
    b'<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script" '
    b'script:name="Module1" script:language="StarBasic">Sub Main\nShell("calc")\nEnd Sub</script:module>'
)


def _odt(entries: dict[str, bytes], *, manifest_entries: tuple[str, ...] = ()) -> bytes:
    listed = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="text/xml"/>'
        for path in manifest_entries
    )
    return _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<x/>",
            "Configurations2/toolbar/": b"",
            "META-INF/manifest.xml": MANIFEST.format(entries=listed).encode(),
            **entries,
        }
    )


MACRO_ODT = _odt(
    {"Basic/Standard/Module1.xml": BASIC_MODULE, "Basic/script-lc.xml": b"<library:libraries/>"},
    manifest_entries=("Basic/Standard/Module1.xml", "Basic/script-lc.xml"),
)


@pytest.mark.parametrize(
    "content",
    [
        MACRO_ODT,
        _odt({"Scripts/python/macro.py": b"import os\nos.system('calc')\n"}),
        # Folder names read without case and with "\\" as "/", as for OOXML parts.
        _odt({"basic\\Standard\\Module1.xml": BASIC_MODULE}),
        # Declared in the manifest alone.
        _odt({}, manifest_entries=("Basic/Standard/Module1.xml",)),
        _odt({}, manifest_entries=("./Scripts/python/macro.py",)),
    ],
    ids=["basic", "python-script", "other-spelling", "basic-in-manifest", "script-in-manifest"],
)
def test_an_opendocument_holding_macros_is_refused_with_its_reason(content):
    assert attachments.sniff_content_type(io.BytesIO(content)) is None

    with pytest.raises(ValidationError) as refusal:
        attachments.check_upload(SimpleUploadedFile("plan.odt", content))

    assert refusal.value.messages == [
        "«\u00a0plan.odt\u00a0» n'est pas accepté\u00a0: ce document ODT contient des macros (du code Basic ou "
        "d'un autre langage), refusées pour votre sécurité. Supprimez-les (Outils, Macros, Gérer les macros) ou "
        "exportez le document en PDF, puis joignez-le à nouveau."
    ]


@pytest.mark.parametrize(
    ("main_type", "name", "message"),
    [
        (
            "application/vnd.ms-word.document.macroEnabled.main+xml",
            "plan.docm",
            "«\u00a0plan.docm\u00a0» n'est pas accepté\u00a0: ce document est au format DOCM, qui porte des macros "
            "(du code VBA), refusées pour votre sécurité. Enregistrez-le au format «\u00a0Document Word "
            "(.docx)\u00a0» ou exportez-le en PDF, puis joignez-le à nouveau.",
        ),
        (
            "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            "effectifs.xlsx",
            "«\u00a0effectifs.xlsx\u00a0» n'est pas accepté\u00a0: ce document est au format XLSM, qui porte des "
            "macros (du code VBA), refusées pour votre sécurité. Enregistrez-le au format «\u00a0Classeur Excel "
            "(.xlsx)\u00a0» ou exportez-le en PDF, puis joignez-le à nouveau.",
        ),
    ],
)
def test_an_office_document_with_macros_is_refused_for_its_macros_whatever_its_name(main_type, name, message):
    # The generic « son contenu n'est pas celui d'un fichier PDF, DOCX… » puzzled who had sent a Word document.
    with pytest.raises(ValidationError) as refusal:
        attachments.check_upload(SimpleUploadedFile(name, _ooxml(main_type)))

    assert refusal.value.messages == [message]


def test_an_opendocument_holding_macros_sent_through_the_wizard_is_refused_with_its_reason(client, draft):
    upload = SimpleUploadedFile("bilan.odt", MACRO_ODT)

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": [upload]})

    assert response.status_code == 200
    assert "«\u00a0bilan.odt\u00a0» n'est pas accepté\u00a0: ce document ODT contient des macros" in text_of(response)
    assert Attachment.objects.count() == 0


def test_an_opendocument_with_menus_and_names_like_macro_folders_but_no_macro_is_accepted():
    # Configurations2/ (menus, toolbars) is in every document LibreOffice saves; a name that only starts like a
    # macro folder is no macro.
    content = _odt({"Basicness.xml": b"<x/>", "Pictures/Scripts.png": b"\x89PNG"})

    assert attachments.sniff_content_type(io.BytesIO(content)) == attachments.ODT


def test_upload_is_stored_against_the_draft(client, draft):
    upload = SimpleUploadedFile("plan d'actions.pdf", PDF_BYTES, content_type="application/octet-stream")

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": [upload]})

    stored = Attachment.objects.get()
    assert response["Location"] == step_url(draft, STEP_SUMMARY)
    assert (stored.draft, stored.response) == (draft, None)
    assert (stored.original_name, stored.content_type) == ("plan d'actions.pdf", "application/pdf")
    assert stored.size == len(PDF_BYTES)
    assert stored.file.read() == PDF_BYTES
    assert "plan d'actions" not in stored.file.name  # the stored name never reuses what was typed


def test_exe_renamed_pdf_is_refused_with_a_french_message(client, draft):
    upload = SimpleUploadedFile("rapport.pdf", EXE_BYTES, content_type="application/pdf")

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": [upload]})

    page = text_of(response)
    assert response.status_code == 200
    assert "«\u00a0rapport.pdf\u00a0» n'est pas accepté\u00a0: son contenu n'est pas celui d'un fichier PDF" in page
    assert "le type est lu dans le fichier, pas dans son nom" in page
    assert Attachment.objects.count() == 0


def test_a_refused_choice_of_files_says_that_none_was_joined_and_that_they_are_to_be_chosen_again(client, draft):
    good = SimpleUploadedFile("plan.pdf", PDF_BYTES)
    bad = SimpleUploadedFile("rapport.pdf", EXE_BYTES)

    page = text_of(post_step(client, draft, STEP_ATTACHMENTS, {"files": [good, bad]}))

    # The browser keeps no chosen file: the general « Ce que vous avez saisi a été conservé » would mislead here.
    assert "Aucun des fichiers choisis n'a été joint." in page
    assert "choisissez à nouveau vos fichiers" in page
    assert "a été conservé" not in page
    assert Attachment.objects.count() == 0


def test_file_over_10_mb_is_refused(client, draft, settings):
    settings.ANNEX_MAX_ATTACHMENT_BYTES = 100
    upload = SimpleUploadedFile("gros.pdf", PDF_BYTES + b"x" * 100)

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": [upload]})

    assert "«\u00a0gros.pdf\u00a0» pèse" in text_of(response)
    assert Attachment.objects.count() == 0


def test_real_limit_is_10_mb_and_5_files(settings):
    assert settings.ANNEX_MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    assert settings.ANNEX_MAX_ATTACHMENTS == 5


def test_no_more_than_five_files(client, draft):
    first = [SimpleUploadedFile(f"p{n}.pdf", PDF_BYTES) for n in range(4)]
    post_step(client, draft, STEP_ATTACHMENTS, {"files": first, "stay": "1"})
    more = [SimpleUploadedFile(f"q{n}.png", PNG_BYTES) for n in range(2)]

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": more})

    assert "Vous pouvez joindre 5 fichiers au plus\u00a0: retirez-en 1 ou supprimez un fichier déjà joint." in text_of(
        response
    )
    assert Attachment.objects.count() == 4


def test_a_file_can_be_removed_before_submission(client, draft):
    post_step(client, draft, STEP_ATTACHMENTS, {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)], "stay": "1"})
    attachment = Attachment.objects.get()

    response = post_step(client, draft, STEP_ATTACHMENTS, {"remove_attachment": str(attachment.pk)}, follow=True)

    assert "Le fichier a été retiré." in text_of(response)
    assert Attachment.objects.count() == 0


@pytest.mark.parametrize("remove", ["²", "1" * 5_000])
def test_a_removal_naming_no_whole_number_removes_nothing_instead_of_a_server_error(client, draft, remove):
    # str.isdigit() accepted « ² », which int() refuses, and int() refuses more than 4,300 digits: a 500.
    post_step(client, draft, STEP_ATTACHMENTS, {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)], "stay": "1"})

    response = post_step(client, draft, STEP_ATTACHMENTS, {"remove_attachment": remove})

    assert response.status_code == 302
    assert Attachment.objects.count() == 1


def test_attachments_are_optional_and_follow_the_response(client, draft):
    steps_until_files = fill_all(client, draft, until=STEP_ATTACHMENTS)
    assert steps_until_files.status_code == 302
    post_step(client, draft, STEP_ATTACHMENTS, {"files": [SimpleUploadedFile("label.png", PNG_BYTES)]})

    summary = text_of(client.get(step_url(draft, STEP_SUMMARY)))
    post_step(client, draft, STEP_SUMMARY, {})

    assert "label.png" in summary
    assert Attachment.objects.get().response == AnnexResponse.objects.get()


def _pdfs(count: int, prefix: str = "p") -> list:
    uploads = [SimpleUploadedFile(f"{prefix}{n}.pdf", PDF_BYTES) for n in range(count)]
    return [(upload, attachments.check_upload(upload)) for upload in uploads]


def test_the_service_refuses_files_past_the_cap(draft):
    attachments.attach_files(draft=draft, files=_pdfs(4))

    with pytest.raises(ValidationError) as refusal:
        attachments.attach_files(draft=draft, files=_pdfs(2, "q"))
    assert refusal.value.messages[0].startswith("Vous pouvez joindre 5 fichiers au plus\u00a0: retirez-en 1")
    assert Attachment.objects.count() == 4


def test_files_joined_meanwhile_in_another_tab_are_counted_when_storing(client, draft, monkeypatch):
    """The page counted 0 files (another tab joined 4 since): the storing refuses, with the same message."""
    attachments.attach_files(draft=draft, files=_pdfs(4))
    counted_before = AnnexWizardView.get_form_kwargs

    def stale_count(view, step=None):
        kwargs = counted_before(view, step)
        return {**kwargs, "already_attached": 0} if step == STEP_ATTACHMENTS else kwargs

    monkeypatch.setattr(AnnexWizardView, "get_form_kwargs", stale_count)
    more = [SimpleUploadedFile(f"q{n}.png", PNG_BYTES) for n in range(2)]

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": more})

    assert response.status_code == 200
    assert "Vous pouvez joindre 5 fichiers au plus\u00a0: retirez-en 1 ou supprimez un fichier déjà joint." in text_of(
        response
    )
    assert Attachment.objects.count() == 4


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="Les verrous de ligne demandent PostgreSQL.")
@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_never_pass_the_cap():
    """Four tabs send five files each at the same moment: five are stored, the three others are refused."""
    market = MarketFactory()
    draft = create_draft(organisation=market.organisation, market=market)
    barrier = threading.Barrier(4)
    stored, refused, errors = [], [], []

    def upload(tab: int):
        files = _pdfs(5, f"onglet{tab}-")
        try:
            barrier.wait(timeout=10)
            stored.append(attachments.attach_files(draft=draft, files=files))
        except ValidationError as refusal:
            refused.append(refusal)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(tab,)) for tab in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert (len(stored), len(refused)) == (1, 3)
    assert Attachment.objects.filter(draft=draft).count() == 5


def test_the_file_input_is_the_dsfr_upload_component_with_a_french_hint(client, draft):
    fill_all(client, draft, until=STEP_ATTACHMENTS)
    response = client.get(step_url(draft, STEP_ATTACHMENTS))

    elements = elements_of(response)
    upload = next(element for element in elements if element.attrs.get("type") == "file")
    group = [element for element in elements if element.position < upload.position and element.tag == "div"][-1]
    assert upload.attrs["class"].split() == ["fr-upload"]
    assert group.attrs["class"].split() == ["fr-upload-group"]
    hint = next(element for element in elements if element.attrs.get("id") == upload.attrs["aria-describedby"])
    assert hint.attrs["class"] == "fr-hint-text"
    page = text_of(response)
    assert (
        "Taille maximale\u00a0: 10\u00a0Mo par fichier. Formats acceptés\u00a0: PDF, DOCX, ODT, XLSX, ODS, PNG, JPEG."
        in page
    )


def test_a_refused_file_puts_the_upload_component_in_its_error_state(client, draft):
    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": [SimpleUploadedFile("a.exe", EXE_BYTES)]})

    groups = [element for element in elements_of(response) if "fr-upload-group" in element.attrs.get("class", "")]
    assert [group.attrs["class"].split() for group in groups] == [["fr-upload-group", "fr-upload-group--error"]]
