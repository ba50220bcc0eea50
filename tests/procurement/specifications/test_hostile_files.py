"""Each file of the hostile corpus is refused with its own French message, and leaves nothing behind."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement.enums import Role
from procurement.models import SpecificationText, StampedSpecification
from procurement.specifications.docx import ooxml, safety
from procurement.specifications.docx.safety import UnsafeDocument, open_docx
from tests.corpus.docx.hostile import build as committed
from tests.procurement.specifications import documents
from tests.procurement.specifications.corpus.build import CASES as BUILT_CASES
from tests.procurement.specifications.corpus.build import HostileCase, edit, rezip, valid_docx
from tests.procurement.specifications.helpers import entries, stamp, tags_and_attributes
from tests.utils import text_of

# Files built in memory, and the committed ones of tests/corpus/docx/hostile/ (read from disk).
CASES = BUILT_CASES + [
    HostileCase(case.name, case.code, case.message, (committed.FOLDER / case.name).read_bytes)
    for case in committed.REFUSED
]
CASE_IDS = [case.name for case in CASES]
BUILT = {}
SIGNED = committed.ACCEPTED_WITH_WARNING[0]
PUBLIC = Path(__file__).resolve().parents[2] / "corpus" / "docx" / "public"


def built(case) -> bytes:
    # The bombs take a moment to compress: build each file once per test session.
    if case.name not in BUILT:
        BUILT[case.name] = case.build()
    return BUILT[case.name]


def stored_files() -> list[str]:
    try:
        return stored_files_under("cahiers-des-charges")
    except FileNotFoundError:
        return []


def stored_files_under(path: str) -> list[str]:
    folders, files = default_storage.listdir(path)
    found = [f"{path}/{name}" for name in files]
    for folder in folders:
        found += stored_files_under(f"{path}/{folder}")
    return found


def test_every_case_has_its_own_message():
    codes_and_messages = {(case.code, case.message) for case in CASES}
    assert len(codes_and_messages) == len(CASES)
    assert len({case.code for case in CASES}) >= 22


@pytest.mark.parametrize("case", committed.ALL, ids=[case.name for case in committed.ALL])
def test_the_committed_corpus_holds_what_its_script_builds(case):
    assert entries((committed.FOLDER / case.name).read_bytes()) == entries(case.build())
    assert f"`{case.name}`" in (committed.FOLDER / "README.md").read_text()


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_checks_refuse_the_file_with_its_message(case):
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(built(case), filename=case.name)

    assert refusal.value.code == case.code
    assert case.message in refusal.value.message


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_service_refuses_and_writes_nothing(case, works_market):
    files_before = stored_files()
    texts_before = list(SpecificationText.objects.values_list("pk", flat=True))
    with pytest.raises(UnsafeDocument):
        stamp(works_market, built(case), filename=case.name)

    assert not StampedSpecification.objects.exists()
    assert list(SpecificationText.objects.values_list("pk", flat=True)) == texts_before
    assert stored_files() == files_before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_page_shows_the_message_and_writes_nothing(case, client_with_role, works_market):
    client = client_with_role(Role.BUYER)
    upload = SimpleUploadedFile(case.name, built(case), content_type="application/octet-stream")
    files_before = stored_files()

    response = client.post(reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload})

    assert response.status_code == 400
    assert case.message in text_of(response)
    assert not StampedSpecification.objects.exists()
    assert stored_files() == files_before


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_command_fails_and_writes_nothing(case, works_market, tmp_path):
    source = tmp_path / case.name
    source.write_bytes(built(case))
    target = tmp_path / "sortie.docx"

    with pytest.raises(CommandError) as error:
        call_command("stamp_specification", str(source), str(target), market=works_market.reference)

    assert case.message in str(error.value)
    assert not target.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == [case.name]
    assert not StampedSpecification.objects.exists()


def test_external_hyperlinks_are_accepted(works_market):
    files_before = stored_files()
    record = stamp(works_market, documents.with_placeholder_in_table_and_hyperlink())

    assert record.pk is not None
    # The stamped document, and the upload kept so that the texts may be moved from the preview.
    assert sorted(stored_files()) == sorted([*files_before, record.output.name, record.source_file.name])


# --- Signed documents: accepted, with a warning -------------------------------------------------------------


def test_a_signed_document_is_stamped_with_a_warning(works_market):
    record = stamp(works_market, (committed.FOLDER / SIGNED.name).read_bytes(), filename=SIGNED.name)

    assert record.pk is not None
    (warning,) = record.warnings
    assert SIGNED.message in warning and "caduque" in warning
    assert StampedSpecification.objects.get().warnings == ()  # said once, not stored


def test_the_stamping_page_shows_the_signature_warning(client_with_role, works_market):
    client = client_with_role(Role.BUYER)
    upload = SimpleUploadedFile(SIGNED.name, (committed.FOLDER / SIGNED.name).read_bytes())

    response = client.post(
        reverse("procurement:market_specification", args=[works_market.pk]), {"file": upload}, follow=True
    )

    page = text_of(response)
    assert "L'encart égalité a été inséré" in page
    assert SIGNED.message in page and "rend caduque" in page
    assert StampedSpecification.objects.count() == 1


def test_the_command_prints_the_signature_warning(works_market, tmp_path, capsys):
    source = tmp_path / SIGNED.name
    source.write_bytes((committed.FOLDER / SIGNED.name).read_bytes())
    target = tmp_path / "sortie.docx"

    call_command("stamp_specification", str(source), str(target), market=works_market.reference)

    captured = capsys.readouterr()
    assert f"Attention : {SIGNED.message}" in captured.err
    assert "écrit" in captured.out
    assert target.exists()


def test_an_unsigned_document_gets_no_warning(works_market):
    record = stamp(works_market, documents.complete_cctp())

    assert record.warnings == ()


# --- Fields: what is refused wherever it hides, and what ordinary documents keep ----------------------------


def _with_body_field(field_xml: str) -> bytes:
    return committed.docx(committed.paragraph(field_xml))


@pytest.mark.parametrize(
    "field_xml",
    [
        # A deleted field code (tracked change) comes back when the change is rejected.
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:del w:id="1" w:author="x"><w:r>'
        '<w:delInstrText xml:space="preserve"> DDEAUTO cmd </w:delInstrText></w:r></w:del>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        # Inside the instruction of another field.
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF 1 = 1 "</w:instrText></w:r>'
        + committed.complex_field(" DDE cmd ")
        + '<w:r><w:instrText>" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
        # A field never closed.
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>DDEAUTO cmd</w:instrText></w:r>',
        # Inside a text box.
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent><w:p>'
        + committed.simple_field("DDE cmd")
        + "</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
    ],
    ids=["deleted", "nested", "unclosed", "textbox"],
)
def test_dde_is_found_however_it_is_written(field_xml):
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(_with_body_field(field_xml), filename="cahier.docx")

    assert refusal.value.code == "dde_field"


@pytest.mark.parametrize(
    "instruction",
    [
        ' INCLUDEPICTURE "images/logo.png" \\* MERGEFORMAT ',
        ' INCLUDEPICTURE "C:\\\\Images\\\\logo.png" ',
        ' HYPERLINK "https://www.example.org/" ',
        " PAGE ",
        " DDEX ",
        " REF DDE_Bookmark \\h ",
    ],
    ids=["local-picture", "drive-picture", "hyperlink", "page", "other-keyword", "bookmark-named-dde"],
)
def test_fields_that_fetch_or_run_nothing_are_accepted(instruction):
    package = open_docx(_with_body_field(committed.complex_field(instruction)), filename="cahier.docx")

    assert package.warnings == []


def test_a_document_with_ordinary_fields_is_stamped(works_market):
    record = stamp(works_market, documents.with_ordinary_fields())

    assert record.pk is not None


def test_a_package_part_named_with_an_absolute_target_is_still_accepted():
    # "/word/media/x.png" is an absolute part name inside the package, not an address elsewhere.
    content = committed.docx(
        relationships=f'<Relationship Id="rIdI" Type="{committed.R}/image" Target="/word/media/x.png"/>',
        extra=[("word/media/x.png", documents.png_bytes())],
    )

    assert open_docx(content, filename="cahier.docx").warnings == []


def test_the_limit_counts_the_tags_and_attributes_of_every_xml_part(monkeypatch):
    # An image full of "<" and "=" counts for nothing: it is never parsed.
    content = rezip(valid_docx(), add=[("word/media/fond.png", b"<w:p a=''/>" * 50_000)])
    counted = tags_and_attributes(content)

    monkeypatch.setattr(safety, "MAX_XML_NODES", counted)
    assert open_docx(content, filename="cahier.docx").document is not None

    monkeypatch.setattr(safety, "MAX_XML_NODES", counted - 1)
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(content, filename="cahier.docx")
    assert refusal.value.code == "too_complex"
    assert f"plus de {counted - 1:,} éléments".replace(",", "\u00a0") in refusal.value.message


def test_a_part_that_only_its_content_type_names_as_xml_is_counted(monkeypatch):
    content = rezip(
        edit(
            valid_docx(),
            "[Content_Types].xml",
            "</Types>",
            '<Override PartName="/customXml/donnees.bin" ContentType="application/xml"/></Types>',
        ),
        add=[("customXml/donnees.bin", b"<a>" + b"<b/>" * 1000 + b"</a>")],
    )
    monkeypatch.setattr(safety, "MAX_XML_NODES", tags_and_attributes(content) + 1000)

    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(content, filename="cahier.docx")
    assert refusal.value.code == "too_complex"


def test_the_largest_real_document_keeps_a_margin_below_the_limit():
    content = (PUBLIC / "poi-bug65649.docx").read_bytes()

    assert tags_and_attributes(content) < 0.65 * safety.MAX_XML_NODES
    assert open_docx(content, filename="cahier.docx").document is not None


def test_a_drawing_id_or_an_outline_level_of_thousands_of_digits_is_read_as_no_number():
    # int() raises ValueError past 4,300 digits: such an id made the upload end on a server error.
    digits = "1" * 5_000
    image = f'<w:r><w:drawing><wp:inline><wp:docPr id="{digits}" name="x"/></wp:inline></w:drawing></w:r>'
    drawing = edit(valid_docx(), "word/document.xml", "<w:p>", f"<w:p>{image}</w:p><w:p>")
    assert isinstance(open_docx(drawing, filename="cahier.docx"), safety.DocxPackage)
    assert ooxml.decimal_number(digits) is None
    assert ooxml.decimal_number("0" * 5_000 + "7") == 7
    assert ooxml.decimal_number("4294967295") == 4294967295
