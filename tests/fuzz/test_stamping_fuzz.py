"""Mutation fuzzing of the cahier des charges stamping engine: `stamp_docx` stamps a mutated document (a
well-formed package that the platform opens again) or refuses it with `UnsafeDocument` and a French sentence,
never anything else. Each seed file gets a fixed number of cases from a fixed rng seed; longer runs:
`tools/fuzz.py --target stamping`."""

import io
import lzma
import re
import struct
import zipfile

import pytest

from procurement.specifications.docx.package import simple_docx
from procurement.specifications.docx.safety import UnsafeDocument, open_docx
from procurement.specifications.docx.stamping import stamp_docx
from tests.fuzz.document_mutations import damaged_member
from tests.fuzz.runner import fuzz, seed_params
from tests.fuzz.targets import TARGETS
from tests.procurement.specifications.helpers import ANNEX_QR_PNG, ANNEX_URL, MAIN, entries, full_text, texts

CASES_PER_SEED = 10
# A 15,000-paragraph document (about 1 s a case with its checks): a few cases only.
CASES_FOR = {"poi-bug65649.docx": 2, "docx2python-libreoffice_conversion.docx": 5}
# The documents the stamping tests build hold a 800 KB picture: each case rewrites it.
BUILT_CASES = 6
SEEDS = {seed.name: seed.data for seed in TARGETS["stamping"].seeds()}


@pytest.mark.parametrize(("rank", "seed"), seed_params("stamping"))
def test_every_mutation_is_stamped_or_refused_with_a_french_reason(rank, seed):
    count = CASES_FOR.get(seed.name, BUILT_CASES if seed.name.startswith("built-") else CASES_PER_SEED)
    fuzz("stamping", rank, seed, count=count)


def _zipped(parts: dict[str, bytes], *, compress_type: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress_type) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _stamped(content: bytes) -> bytes:
    return stamp_docx(content, filename="cahier.docx", texts=texts(base_vie=True), qr_code_png=ANNEX_QR_PNG).content


def test_a_part_whose_compressed_bytes_are_damaged_is_refused_as_damaged():
    # Found by the fuzzer (poi-delins.docx, "member word/document.xml: compressed bytes changed"): zlib's own
    # error went through `open_docx` as a server error.
    content = damaged_member(simple_docx([("Article 1. Objet", True), ("Le titulaire exécute.", False)]), MAIN)
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(content, filename="cahier.docx")
    assert refusal.value.code == "corrupt_entry"
    assert "élément «\u00a0word/document.xml\u00a0» illisible" in refusal.value.message


def test_a_damaged_lzma_part_is_refused_as_damaged():
    content = _zipped(entries(simple_docx([("Texte.", False)])), compress_type=zipfile.ZIP_LZMA)
    content = damaged_member(content, MAIN, at=9, junk=b"\x00" * 40)
    with zipfile.ZipFile(io.BytesIO(content)) as archive, pytest.raises(lzma.LZMAError):
        archive.read(MAIN)  # the error the reader meets
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(content, filename="cahier.docx")
    assert refusal.value.code == "corrupt_entry"


def test_an_archive_asking_for_a_zip_version_python_does_not_read_is_refused_as_damaged():
    # Found by the fuzzer (docx2python-zen_of_python.docx, "archive flip_bytes"): a central directory entry whose
    # "version needed to extract" is 16.0 makes zipfile raise NotImplementedError, which went through `open_docx`.
    content = bytearray(simple_docx([("Texte.", False)]))
    directory = content.index(b"PK\x01\x02")
    struct.pack_into("<H", content, directory + 6, 160)
    with pytest.raises(NotImplementedError):
        zipfile.ZipFile(io.BytesIO(bytes(content)))  # the error the reader meets
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(bytes(content), filename="cahier.docx")
    assert refusal.value.code == "damaged_zip"


def test_a_body_holding_only_an_empty_content_control_gets_the_texts_after_it():
    # Found by the fuzzer (docx2python-zen_of_python.docx, "body replaced by <w:sdt><w:sdtContent>…"): with no block
    # before or after the place of the texts, `Blocks.point_before` looked for a place that it had not made
    # (KeyError).
    parts = entries(simple_docx([("Article 1. Objet", True)]))
    empty_control = b"<w:body><w:sdt><w:sdtContent></w:sdtContent></w:sdt></w:body>"
    parts[MAIN] = re.sub(rb"<w:body>.*</w:body>", empty_control, parts[MAIN], flags=re.DOTALL)
    stamped = _stamped(_zipped(parts))
    assert texts(base_vie=True).encart_title in full_text(stamped)
    assert ANNEX_URL in full_text(stamped)
    open_docx(stamped, filename="cahier.docx")


@pytest.mark.parametrize(
    ("seed_name", "part", "pattern", "replacement"),
    [
        ("poi-ComplexNumberedLists.docx", "word/numbering.xml", rb'w:numId="1"', 'w:numId="²"'),
        ("poi-checkboxes.docx", "word/styles.xml", rb'<w:outlineLvl w:val="2"', '<w:outlineLvl w:val="²"'),
        ("python-docx-shp-inline-shape-access.docx", MAIN, rb'docPr id="4"', 'docPr id="²"'),
    ],
    ids=["numbering", "outline-level", "drawing-id"],
)
def test_a_number_written_with_a_superscript_digit_is_not_read_as_a_number(seed_name, part, pattern, replacement):
    # Found by the fuzzer (built-auto_numbered.docx, "word/numbering.xml: number changed"): "²".isdigit() is true
    # but int("²") raises ValueError. Word reads such a value as no number: the document is stamped.
    parts = entries(SEEDS[seed_name])
    assert re.search(pattern, parts[part])
    parts[part] = re.sub(pattern, replacement.encode(), parts[part], count=1)
    assert texts(base_vie=True).encart_title in full_text(_stamped(_zipped(parts)))
