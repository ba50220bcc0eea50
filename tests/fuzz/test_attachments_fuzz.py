"""Mutation fuzzing of the annex attachments check: `check_upload` accepts a mutated PDF, image, DOCX, XLSX, ODT or
ODS as the type its content shows, or refuses it with a French `ValidationError`, never anything else. Each seed file
gets a fixed number of cases from a fixed rng seed; longer runs: `tools/fuzz.py --target attachments`."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from questionnaire.services.attachments import check_upload
from tests.fuzz.document_mutations import damaged_member
from tests.fuzz.runner import fuzz, seed_params
from tests.fuzz.targets import TARGETS

CASES_PER_SEED = 60
SEEDS = {seed.name: seed.data for seed in TARGETS["attachments"].seeds()}
NOT_ACCEPTED = "n'est pas accepté\u00a0: son contenu n'est pas celui d'un fichier PDF"


@pytest.mark.parametrize(("rank", "seed"), seed_params("attachments"))
def test_every_mutation_is_accepted_or_refused_with_a_french_reason(rank, seed):
    fuzz("attachments", rank, seed, count=CASES_PER_SEED)


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as refusal:
        check_upload(SimpleUploadedFile(name, content))
    return refusal.value.messages[0]


def test_a_document_whose_package_parts_are_damaged_is_refused_not_a_server_error():
    # Found by the fuzzer (xlrd-apachepoi-52348.xlsx, "[Content_Types].xml: compressed bytes changed"): zlib's own
    # error went through `check_upload`.
    content = damaged_member(SEEDS["python-docx-test.docx"], "[Content_Types].xml")
    assert NOT_ACCEPTED in _refusal("rapport.docx", content)


def test_an_archive_shorter_than_its_directory_says_is_refused_not_a_server_error():
    # Found by the fuzzer (odfpy-simpletable.odt, "archive delete_slice"): bytes missing before the central
    # directory put the first entry at a negative offset, and reading it raised ValueError ("negative seek value").
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>" * 4)
    data = buffer.getvalue()
    directory = data.index(b"PK\x01\x02")
    content = data[: directory - 20] + data[directory:]  # 20 bytes of content.xml gone
    assert NOT_ACCEPTED in _refusal("note.odt", content)


def test_a_package_part_declaring_an_unknown_encoding_is_refused_not_a_server_error():
    # Found by the fuzzer (xlrd-apachepoi-52348.xlsx, "_rels/.rels: change_attribute_value"): the XML declaration's
    # encoding became "A0", and the parser's LookupError went through `check_upload`.
    with zipfile.ZipFile(io.BytesIO(SEEDS["python-docx-test.docx"])) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b'encoding="UTF-8"', b'encoding="A0"', 1)
    assert b'encoding="A0"' in parts["_rels/.rels"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert NOT_ACCEPTED in _refusal("rapport.docx", buffer.getvalue())
