"""Each file of the hostile corpus is refused with its own French message, and leaves nothing behind."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procurement.enums import Role
from procurement.models import SpecificationText, StampedSpecification
from procurement.specifications.docx.safety import UnsafeDocument, open_docx
from procurement.specifications.services import stamp_specification
from tests.procurement.specifications import documents
from tests.procurement.specifications.corpus.build import CASES
from tests.utils import text_of

CASE_IDS = [case.name for case in CASES]
BUILT = {}


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
    assert len({case.code for case in CASES}) >= 18


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_checks_refuse_the_file_with_its_message(case):
    with pytest.raises(UnsafeDocument) as refusal:
        open_docx(built(case), filename=case.name)

    assert refusal.value.code == case.code
    assert case.message in refusal.value.message


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_service_refuses_and_writes_nothing(case, works_market):
    files_before = stored_files()
    with pytest.raises(UnsafeDocument):
        stamp_specification(
            market=works_market,
            content=built(case),
            filename=case.name,
            annex_url="https://egalite.example/annexe/x/",
            user=None,
        )

    assert not StampedSpecification.objects.exists()
    assert not SpecificationText.objects.exists()
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
    record = stamp_specification(
        market=works_market,
        content=documents.with_placeholder_in_table_and_hyperlink(),
        filename="cahier.docx",
        annex_url="https://egalite.example/annexe/x/",
        user=None,
    )

    assert record.pk is not None
    assert sorted(stored_files()) == sorted([*files_before, record.output.name])
