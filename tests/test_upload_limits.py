"""Request bodies are bounded (procurement.uploads): a body larger than any page accepts is refused with a French
page (413) before it is read, and a file beyond the largest accepted size stops streaming in there, so that
neither memory nor the temporary directory fills. The import pages check a file's size before reading it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clauses.models import HoursRecord
from procurement import tabular
from procurement.enums import Role
from procurement.models import Market
from procurement.tabular import ImportRejected, read_upload
from procurement.uploads import FILE_MARGIN_BYTES
from questionnaire.models import Attachment
from questionnaire.services.drafts import create_draft
from questionnaire.wizard import STEP_ATTACHMENTS
from tests.utils import text_of

GIB = 1024 * 1024 * 1024
BOUNDARY = "limite-de-test"


class VirtualBody(io.RawIOBase):
    """A multipart body of any size, made as it is read and never held whole; counts the bytes read."""

    def __init__(self, *, fields: dict[str, str], file_field: str, filename: str, file_size: int):
        head = "".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        )
        head += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        )
        self.head = head.encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = file_size
        self.size = len(self.head) + file_size + len(self.tail)
        self.position = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        end = self.size if size is None or size < 0 else min(self.size, self.position + size)
        chunk = bytearray()
        while self.position < end:
            if self.position < len(self.head):
                piece = self.head[self.position : end]
            elif self.position < len(self.head) + self.file_size:
                piece = b"a" * (min(end, len(self.head) + self.file_size) - self.position)
            else:
                offset = self.position - len(self.head) - self.file_size
                piece = self.tail[offset : offset + end - self.position]
            chunk += piece
            self.position += len(piece)
        return bytes(chunk)


def _post(client, url: str, body: VirtualBody, *, declared: int | None = None):
    return client.generic(
        "POST",
        url,
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.size if declared is None else declared),
        **{"wsgi.input": body},
    )


@pytest.fixture
def buyer_client(client_with_role):
    return client_with_role(Role.ADMIN)


def test_a_declared_gigabyte_is_refused_before_any_byte_is_read(buyer_client):
    body = VirtualBody(fields={}, file_field="file", filename="marches.csv", file_size=GIB)

    response = _post(buyer_client, reverse("procurement:market_import"), body)

    assert response.status_code == 413
    page = text_of(response)
    assert (
        "Votre envoi pèse 1\u00a0Go, plus que la plateforme n'accepte en une fois (51\u00a0Mo, et 20\u00a0Mo par "
        "fichier)" in page
    )
    assert "rien n'a été enregistré" in page
    assert body.position == 0
    assert not Market.objects.exists()


def test_an_anonymous_2_gb_attachment_is_refused_before_any_byte_is_read(client, market):
    draft = create_draft(organisation=market.organisation, market=market)
    url = reverse("questionnaire:wizard_step", kwargs={"token": draft.resume_token, "step": STEP_ATTACHMENTS})
    body = VirtualBody(
        fields={"annexe-current_step": STEP_ATTACHMENTS}, file_field="files", filename="plan.pdf", file_size=2 * GIB
    )

    response = _post(client, url, body)

    assert response.status_code == 413
    assert "Votre envoi pèse 2\u00a0Go" in text_of(response)
    assert body.position == 0
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "model"),
    [("procurement:market_import", Market), ("clauses:hours_import", HoursRecord), ("responses:import", None)],
)
def test_a_file_beyond_the_largest_size_stops_streaming_in_there(buyer_client, settings, url_name, model):
    # A client may declare a length within the body limit and send one oversized file: it is cut at the file
    # limit (and its margin), whatever it declared (here 1 MB per file, 8 MB per body, for a 6 MB file).
    settings.UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    settings.UPLOAD_MAX_REQUEST_BYTES = 8 * 1024 * 1024
    body = VirtualBody(fields={}, file_field="file", filename="gros.csv", file_size=6 * 1024 * 1024)

    response = _post(buyer_client, reverse(url_name), body)

    assert response.status_code == 413
    refusal = "Le fichier «\u00a0gros.csv\u00a0» dépasse 1\u00a0Mo, la plus grande taille que la plateforme accepte"
    assert refusal in text_of(response)
    assert body.position < 1024 * 1024 + FILE_MARGIN_BYTES + 256 * 1024
    if model is not None:
        assert not model.objects.exists()


def test_an_ordinary_attachment_still_goes_through(client, market):
    draft = create_draft(organisation=market.organisation, market=market)
    url = reverse("questionnaire:wizard_step", kwargs={"token": draft.resume_token, "step": STEP_ATTACHMENTS})
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 3 * 1024 * 1024, content_type="application/pdf")

    response = client.post(url, {"annexe-current_step": STEP_ATTACHMENTS, "files": [upload]})

    assert response.status_code == 302
    assert Attachment.objects.get().size == 3 * 1024 * 1024 + 9


class _UnreadableUpload:
    name = "marches.csv"
    size = tabular.MAX_IMPORT_BYTES + 1

    def read(self, *args):
        raise AssertionError("the file was read before its size was checked")


def test_an_import_upload_is_refused_on_its_size_before_it_is_read():
    with pytest.raises(ImportRejected) as rejected:
        read_upload(_UnreadableUpload())
    assert rejected.value.errors == ["Le fichier dépasse 20\u00a0Mo."]


def test_the_import_page_refuses_an_oversized_file_before_reading_it(buyer_client, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_IMPORT_BYTES", 1024 * 1024)
    upload = SimpleUploadedFile("marches.csv", b"reference;title\n" + b"R;T\n" * 400_000)

    response = buyer_client.post(reverse("procurement:market_import"), {"file": upload})

    assert response.status_code == 400
    assert "Le fichier dépasse 1\u00a0Mo\u00a0: découpez-le en plusieurs fichiers" in text_of(response)
    assert not Market.objects.exists()
