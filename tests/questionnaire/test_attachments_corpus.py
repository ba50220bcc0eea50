"""Pièces jointes against files nobody here wrote (tests/corpus/attachments/, with its README) and files written by
this machine's LibreOffice: each real document is accepted as its type, whatever its name; a file disguised as
one of them (renamed, or two formats in one) is refused with the French reason."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from questionnaire.models import Attachment
from questionnaire.services import attachments
from questionnaire.services.attachments import DOCX, JPEG, ODS, ODT, PDF, PNG, XLSX
from questionnaire.wizard import STEP_ATTACHMENTS
from tests.questionnaire.conftest import post_step
from tests.questionnaire.factories import AnnexResponseFactory, pdf_attachment
from tests.questionnaire.test_attachments import _zip
from tests.utils import libreoffice_convert, require_soffice, text_of

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "attachments"

# Every file of the corpus but the presentation, and the type its content shows.
ACCEPTED = {
    "pypdf-toy.pdf": PDF,
    "pypdf-issue-297.pdf": PDF,
    "pypdf-imagemagick-ccittfax.pdf": PDF,
    "pypdf-crazyones.pdf": PDF,
    "pypdf-crazyones-encrypted-256.pdf": PDF,
    "pypdf-libreoffice-writer-password.pdf": PDF,
    "pypdf-encrypted-doc-no-id.pdf": PDF,
    "pypdf-autocad-simple.pdf": PDF,
    "pypdf-issue-301-linearized.pdf": PDF,
    "pillow-hopper.jpg": JPEG,
    "pillow-sample-cmyk.jpg": JPEG,
    "pillow-exif-gps.jpg": JPEG,
    "pillow-photoshop-200dpi.jpg": JPEG,
    "pillow-truncated-progressive.jpg": JPEG,
    "python-docx-jfif-iguana.jpg": JPEG,
    "pillow-pil123p-interlaced.png": PNG,
    "pillow-i-trns-16bit.png": PNG,
    "pillow-xmp-exiftool.png": PNG,
    "pillow-rgb-trns.png": PNG,
    "python-docx-test.docx": DOCX,
    "python-docx-no-styles-part.docx": DOCX,
    "xlrd-comments-gdocs.xlsx": XLSX,
    "xlrd-apachepoi-52348.xlsx": XLSX,
    "xlrd-apachepoi-49609-backslashes.xlsx": XLSX,
    "odfpy-simpletable.odt": ODT,
    "odfpy-nasty.odt": ODT,
    "odfpy-pythagoras-kspread.ods": ODS,
    "odfpy-chinese-spreadsheet.ods": ODS,
}
REFUSAL = "n'est pas accepté\u00a0: son contenu n'est pas celui d'un fichier PDF, DOCX, ODT, XLSX, ODS, PNG ou JPEG"


def _read(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def _checked_type(content: bytes, name: str = "piece-jointe") -> str:
    return attachments.check_upload(SimpleUploadedFile(name, content)).content_type


def _refusal(content: bytes, name: str) -> str:
    with pytest.raises(ValidationError) as refusal:
        attachments.check_upload(SimpleUploadedFile(name, content))
    return refusal.value.messages[0]


def _rezip(content: bytes, *, add: dict[str, bytes] | None = None, change=None, order=None) -> bytes:
    """The package `content` rewritten: `change(name, data)` gives each entry's new data, `add` adds entries,
    `order(names)` sorts them; every entry is deflated (a stored `mimetype` entry becomes a compressed one)."""
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    entries.update(add or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order(list(entries)) if order else entries:
            target.writestr(name, change(name, entries[name]) if change else entries[name])
    return buffer.getvalue()


def test_the_corpus_is_listed_in_its_readme_and_stays_small():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    files = sorted(path.name for path in CORPUS.iterdir() if path.name != "README.md")

    assert files == sorted([*ACCEPTED, "odfpy-cols.odp"])
    assert all(f"`{name}`" in readme for name in files)
    assert sum((CORPUS / name).stat().st_size for name in files) < 2 * 1024 * 1024


@pytest.mark.parametrize(("name", "expected"), sorted(ACCEPTED.items()))
def test_each_real_file_is_accepted_as_its_type_whatever_its_name(name, expected):
    content = _read(name)

    assert _checked_type(content, name) == expected
    # The name plays no part: the same bytes under a wrong extension, or none, are the same type.
    assert _checked_type(content, "document.bin") == expected
    assert _checked_type(content, "sans-extension") == expected


def test_a_pdf_whose_header_follows_a_byte_order_mark_or_blank_lines_is_a_pdf():
    """Web scripts often send a byte order mark or a blank line before `%PDF-`; PDF readers look for the header in
    the first 1,024 bytes. These files were refused."""
    pdf = _read("pypdf-crazyones.pdf")

    assert _checked_type(b"\xef\xbb\xbf" + pdf) == PDF
    assert _checked_type(b"\r\n\r\n" + pdf) == PDF
    assert _checked_type(b" " * 1000 + pdf) == PDF


def test_pdf_versions_from_1_0_to_2_0_are_pdfs():
    pdf = _read("pypdf-toy.pdf")
    assert pdf.startswith(b"%PDF-1.4")

    for version in (b"1.0", b"1.7", b"2.0"):
        assert _checked_type(b"%PDF-" + version + pdf[8:]) == PDF


def test_a_workbook_whose_part_names_use_backslashes_and_another_case_is_an_xlsx():
    """apachepoi-49609 names its parts `[content_types].xml` and `xl\\workbook.xml`, as some writers do; Office
    compares part names without case and reads "\\" as "/". It was refused."""
    content = _read("xlrd-apachepoi-49609-backslashes.xlsx")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
    assert "[content_types].xml" in names
    assert "xl\\workbook.xml" in names

    assert _checked_type(content) == XLSX


def test_a_content_type_written_in_capitals_or_with_a_parameter_is_the_same_type():
    """Media types are compared without case or parameters (RFC 2045); the old byte comparison refused both."""
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    docx = _read("python-docx-test.docx")

    def capitals(name, data):
        return data.replace(main, main.upper()) if name == "[Content_Types].xml" else data

    def parameter(name, data):
        return data.replace(main, main + b"; charset=utf-8") if name == "[Content_Types].xml" else data

    assert _checked_type(_rezip(docx, change=capitals)) == DOCX
    assert _checked_type(_rezip(docx, change=parameter)) == DOCX


@pytest.mark.parametrize(
    ("relationship", "target"),
    [
        # Strict OOXML (Excel's « Classeur Open XML strict ») names the relationship in another namespace.
        (b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument", b"word/document.xml"),
        # A target written from the package's root.
        (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", b"/word/document.xml"),
    ],
)
def test_the_main_part_is_found_however_its_relationship_is_written(relationship, target):
    transitional = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

    def rewrite(name, data):
        if name != "_rels/.rels":
            return data
        return data.replace(transitional, relationship).replace(
            b'Target="word/document.xml"', b'Target="' + target + b'"'
        )

    docx = _rezip(_read("python-docx-test.docx"), change=rewrite)
    assert relationship in _entries(docx)["_rels/.rels"]

    assert _checked_type(docx) == DOCX


def test_an_opendocument_whose_mimetype_entry_is_not_first_or_is_compressed_is_still_itself():
    mimetype_last = lambda names: sorted(names, key=lambda name: name == "mimetype")  # noqa: E731
    odt = _rezip(_read("odfpy-simpletable.odt"), order=mimetype_last)
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        infos = archive.infolist()
    assert infos[-1].filename == "mimetype"
    assert infos[-1].compress_type == zipfile.ZIP_DEFLATED

    assert _checked_type(odt) == ODT


# Files disguised as accepted ones. Each is refused with the French reason, whatever name it is given.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run."
HTML = b"<!DOCTYPE html><html><head><title>Plan</title></head><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _docm_declaring_docx_in_a_comment(docm: bytes) -> bytes:
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

    def comment(name, data):
        return data.replace(b"<Types ", b"<!-- " + main + b" --><Types ", 1) if name == "[Content_Types].xml" else data

    return _rezip(docm, change=comment)


def _docm_with_a_docx_part_beside(docm: bytes) -> bytes:
    """A macro document that also declares a DOCX main part (not the one its relationships open)."""
    override = (
        b'<Override PartName="/word/decoy.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        b'wordprocessingml.document.main+xml"/></Types>'
    )

    def declare(name, data):
        return data.replace(b"</Types>", override) if name == "[Content_Types].xml" else data

    return _rezip(docm, change=declare, add={"word/decoy.xml": b"<w:document/>"})


def _docx_with_a_macro_project(docx: bytes) -> bytes:
    declare = b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'

    def change(name, data):
        return data.replace(b"</Types>", declare) if name == "[Content_Types].xml" else data

    return _rezip(docx, change=change, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60})


DISGUISED = {
    "an executable renamed .pdf": (lambda: EXE, "rapport.pdf"),
    "an HTML page renamed .docx": (lambda: HTML, "plan.docx"),
    "an SVG image renamed .png": (lambda: SVG, "logo.png"),
    "a plain zip of images renamed .xlsx": (lambda: _zip({"a.png": _read("pillow-rgb-trns.png")}), "index.xlsx"),
    "a presentation renamed .odt": (lambda: _read("odfpy-cols.odp"), "plan.odt"),
    # Polyglots: one file read as two formats, one of them unwanted.
    "an HTML page with a PDF after it": (lambda: HTML + _read("pypdf-toy.pdf"), "plan.pdf"),
    "an executable with a PDF within its first kilobyte": (lambda: EXE + _read("pypdf-toy.pdf"), "plan.pdf"),
    "an OpenDocument that is also an OOXML package": (
        lambda: _rezip(
            _read("odfpy-simpletable.odt"),
            add={
                name: data
                for name, data in _entries(_read("python-docx-test.docx")).items()
                if name in ("[Content_Types].xml", "_rels/.rels", "word/document.xml")
            },
        ),
        "plan.odt",
    ),
    "a DOCX holding a macro project": (lambda: _docx_with_a_macro_project(_read("python-docx-test.docx")), "a.docx"),
}


def _entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.mark.parametrize("case", sorted(DISGUISED))
def test_a_disguised_file_is_refused_with_the_french_reason(case):
    build, name = DISGUISED[case]

    message = _refusal(build(), name)

    assert message.startswith(f"«\u00a0{name}\u00a0» {REFUSAL}")
    assert "le type est lu dans le fichier, pas dans son nom" in message


def test_a_docx_with_a_macro_project_was_accepted_by_the_old_byte_search():
    """The old sniffing found the DOCX type anywhere in [Content_Types].xml; the macro project beside it did not
    count. Now the package's declarations are read, and a vbaProject part refuses the file."""
    content = _docx_with_a_macro_project(_read("python-docx-test.docx"))
    assert b"wordprocessingml.document.main+xml" in _entries(content)["[Content_Types].xml"]

    assert attachments.sniff_content_type(io.BytesIO(content)) is None


# LibreOffice of this machine: the documents it writes are accepted, its macro-enabled ones refused.
TEXT = "Plan d'action pour l'égalité professionnelle\nÉcart de rémunération\u00a0: 3,2\u00a0%\n"
TABLE = "Catégorie;Femmes;Hommes\nCadres;12;18\nNon-cadres;40;35\n"
LIBREOFFICE_OUTPUTS = {
    ("plan.txt", "pdf"): ("plan.pdf", PDF),
    ("plan.txt", "odt"): ("plan.odt", ODT),
    ("plan.txt", "docx"): ("plan.docx", DOCX),
    ("plan.txt", "docx:Office Open XML Text"): ("plan.docx", DOCX),
    ("effectifs.csv", "xlsx"): ("effectifs.xlsx", XLSX),
    ("effectifs.csv", "xlsx:Calc Office Open XML"): ("effectifs.xlsx", XLSX),
    ("effectifs.csv", "ods"): ("effectifs.ods", ODS),
    ("plan.txt", "docm:MS Word 2007 XML VBA"): ("plan.docm", None),
    ("effectifs.csv", "xlsm:Calc MS Excel 2007 VBA XML"): ("effectifs.xlsm", None),
}


@pytest.fixture(scope="module")
def libreoffice_files(tmp_path_factory) -> dict[tuple[str, str], bytes]:
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    (folder / "plan.txt").write_text(TEXT, encoding="utf-8")
    (folder / "effectifs.csv").write_text(TABLE, encoding="utf-8")
    produced = {}
    for (source, to), (output, _) in LIBREOFFICE_OUTPUTS.items():
        completed = libreoffice_convert(soffice, [folder / source], to=to, folder=folder)
        path = folder / to / output
        assert completed.returncode == 0 and path.is_file(), completed.stderr.decode(errors="replace")
        produced[(source, to)] = path.read_bytes()
    return produced


@pytest.mark.parametrize("conversion", list(LIBREOFFICE_OUTPUTS), ids=lambda conversion: conversion[1])
def test_what_libreoffice_writes_is_accepted_and_its_macro_documents_are_refused(libreoffice_files, conversion):
    output, expected = LIBREOFFICE_OUTPUTS[conversion]
    content = libreoffice_files[conversion]

    assert attachments.sniff_content_type(io.BytesIO(content)) == expected
    # Renamed to the extension of the type it is not, a macro document is refused all the same, for its macros.
    if expected is None:
        disguise = output.replace(".docm", ".docx").replace(".xlsm", ".xlsx")
        label, save_as = ("DOCM", "Document Word (.docx)") if output.endswith(".docm") else ("XLSM", "Classeur Excel")
        message = _refusal(content, disguise)
        assert message.startswith(
            f"«\u00a0{disguise}\u00a0» n'est pas accepté\u00a0: ce document est au format {label}, qui porte des "
            "macros (du code VBA), refusées pour votre sécurité."
        )
        assert save_as in message


# A flat OpenDocument with a Basic library (office:scripts, OpenDocument 1.3, 3.13): LibreOffice saves its macro
# as Basic/Standard/Module1.xml in the .odt or .ods it writes, as a document whose macro was typed in its editor.
MACRO_FLAT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:ooo="http://openoffice.org/2004/office"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.{kind}">
<office:scripts><office:script script:language="ooo:Basic"><ooo:libraries>
<ooo:library-embedded ooo:name="Standard"><ooo:module ooo:name="Module1"><ooo:source-code>Sub Main
  MsgBox "Bonjour"
End Sub
</ooo:source-code></ooo:module></ooo:library-embedded>
</ooo:libraries></office:script></office:scripts>
<office:body>{body}</office:body>
</office:document>
"""
MACRO_SOURCES = {
    ("plan.fodt", "odt"): ("text", "<office:text><text:p>Plan d'action</text:p></office:text>"),
    ("effectifs.fods", "ods"): (
        "spreadsheet",
        '<office:spreadsheet><table:table table:name="Feuille1"><table:table-row><table:table-cell '
        'office:value-type="string"><text:p>Cadres</text:p></table:table-cell></table:table-row></table:table>'
        "</office:spreadsheet>",
    ),
}


@pytest.fixture(scope="module")
def libreoffice_macro_documents(tmp_path_factory) -> dict[str, bytes]:
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("macros")
    produced = {}
    for (source, to), (kind, body) in MACRO_SOURCES.items():
        (folder / source).write_text(MACRO_FLAT.format(kind=kind, body=body), encoding="utf-8")
        completed = libreoffice_convert(soffice, [folder / source], to=to, folder=folder)
        path = folder / to / source.replace(".f", ".")
        assert completed.returncode == 0 and path.is_file(), completed.stderr.decode(errors="replace")
        produced[to] = path.read_bytes()
    return produced


@pytest.mark.parametrize("kind", ["odt", "ods"])
def test_an_opendocument_that_libreoffice_saved_with_a_basic_macro_is_refused(libreoffice_macro_documents, kind):
    content = libreoffice_macro_documents[kind]
    names = set(_entries(content))
    assert "Basic/Standard/Module1.xml" in names
    assert b'manifest:full-path="Basic/Standard/Module1.xml"' in _entries(content)["META-INF/manifest.xml"]

    message = _refusal(content, f"plan.{kind}")

    assert message.startswith(
        f"«\u00a0plan.{kind}\u00a0» n'est pas accepté\u00a0: ce document {kind.upper()} contient des macros"
    )
    # Its macro removed (the Basic folder gone from the zip and the manifest), the same document is accepted.
    without = _rezip(
        content,
        order=lambda entries: [name for name in entries if not name.startswith("Basic/")],
        change=lambda name, data: (
            b"".join(line for line in data.splitlines(keepends=True) if b'"Basic/' not in line)
            if name == "META-INF/manifest.xml"
            else data
        ),
    )
    assert _checked_type(without) == {"odt": ODT, "ods": ODS}[kind]


@pytest.mark.parametrize("trick", [_docm_declaring_docx_in_a_comment, _docm_with_a_docx_part_beside])
def test_a_libreoffice_macro_document_dressed_as_a_docx_is_refused(libreoffice_files, trick):
    """Both tricks passed the old search of the DOCX type in the bytes of [Content_Types].xml."""
    content = trick(libreoffice_files[("plan.txt", "docm:MS Word 2007 XML VBA")])
    assert b"wordprocessingml.document.main+xml" in _entries(content)["[Content_Types].xml"]

    assert _refusal(content, "plan.docx").startswith(
        "«\u00a0plan.docx\u00a0» n'est pas accepté\u00a0: ce document est au format DOCM, qui porte des macros"
    )


def test_real_files_go_through_the_wizard_and_are_stored_with_their_type(client, draft, libreoffice_files):
    uploads = [
        SimpleUploadedFile("plan-egalite.docx", libreoffice_files[("plan.txt", "docx")]),
        SimpleUploadedFile("index.pdf", _read("pypdf-crazyones-encrypted-256.pdf")),
        SimpleUploadedFile("photo-affichage.jpg", _read("pillow-sample-cmyk.jpg")),
        SimpleUploadedFile("effectifs.ods", _read("odfpy-chinese-spreadsheet.ods")),
        SimpleUploadedFile("bilan.xlsx", _read("xlrd-apachepoi-49609-backslashes.xlsx")),
    ]

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": uploads})

    assert response.status_code == 302
    stored = {attachment.original_name: attachment.content_type for attachment in Attachment.objects.all()}
    assert stored == {
        "plan-egalite.docx": DOCX,
        "index.pdf": PDF,
        "photo-affichage.jpg": JPEG,
        "effectifs.ods": ODS,
        "bilan.xlsx": XLSX,
    }


def test_a_disguised_file_sent_through_the_wizard_is_refused_and_nothing_is_stored(client, draft):
    uploads = [
        SimpleUploadedFile("plan.pdf", _read("pypdf-toy.pdf")),
        SimpleUploadedFile("plan.odt", _read("odfpy-cols.odp")),
    ]

    response = post_step(client, draft, STEP_ATTACHMENTS, {"files": uploads})

    assert response.status_code == 200
    assert f"«\u00a0plan.odt\u00a0» {REFUSAL}" in text_of(response)
    assert Attachment.objects.count() == 0


# Served back to the buyer's staff.
def _stored(annex, *, name: str, content: bytes, content_type: str) -> Attachment:
    attachment = pdf_attachment(organisation=annex.organisation, response=annex, name=name, content=content)
    attachment.content_type = content_type
    attachment.save(update_fields=["content_type"])
    return attachment


@pytest.mark.parametrize(
    ("name", "content_type", "served_as"),
    [
        ("plan.docx", DOCX, "plan.docx"),
        ("PHOTO.JPEG", JPEG, "PHOTO.JPEG"),
        ("photo.jpg", JPEG, "photo.jpg"),
        # The name a company typed does not choose the program that opens the file: its content does.
        ("plan.docm", DOCX, "plan.docm.docx"),
        ("bilan.xlsm", XLSX, "bilan.xlsm.xlsx"),
        ("scan.png", JPEG, "scan.png.jpg"),
        ("rapport", PDF, "rapport.pdf"),
        ("page.html", PDF, "page.html.pdf"),
    ],
)
def test_a_stored_file_is_served_with_its_sniffed_type_as_a_download_named_for_that_type(
    buyer_client, organisation, name, content_type, served_as
):
    annex = AnnexResponseFactory(organisation=organisation)
    attachment = _stored(annex, name=name, content=b"contenu", content_type=content_type)

    download = buyer_client.get(reverse("responses:attachment", args=[annex.pk, attachment.pk]))

    assert download.status_code == 200
    assert download["Content-Type"] == content_type
    assert download["Content-Disposition"] == f'attachment; filename="{served_as}"'
    assert download["X-Content-Type-Options"] == "nosniff"
