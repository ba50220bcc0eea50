"""Upload limits of every page: a request body is refused, with a French page (413), as soon as it crosses them.

Django would otherwise read a whole multipart body into temporary files before any form looks at a size: an
anonymous 2 GB upload filled the disk before its refusal. Two limits, both in settings:
- UPLOAD_MAX_REQUEST_BYTES, the largest body (the annex's attachments step: five files of 10 MB), is checked on
  the declared length before anything is read;
- UPLOAD_MAX_FILE_BYTES, the largest file any page accepts (imports and cahiers des charges, 20 MB), is checked
  while each file streams in (with a margin of FILE_MARGIN_BYTES), so that a lying client is stopped there too.
Each page still checks its own, smaller limit and says so in its form. The reverse proxy in front of the
platform bounds bodies first (README, « En production »).
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render

from procurement.french import file_size, size_over

# A file a little over the largest size still reaches its page, whose form says what to do with it ("découpez-le
# par mois ou par marché"); the stream stops this much further.
FILE_MARGIN_BYTES = 1024 * 1024


class UploadTooLarge(MultiPartParserError, RequestDataTooBig):
    """A body or a file beyond the platform's limits; the message is the French reason.

    A MultiPartParserError, so that Django marks the body as unreadable rather than parsing it again."""


def _request_too_large(size: int) -> str:
    request_limit, file_limit = settings.UPLOAD_MAX_REQUEST_BYTES, settings.UPLOAD_MAX_FILE_BYTES
    return (
        f"Votre envoi pèse {size_over(size, request_limit)}, plus que la plateforme n'accepte en une fois "
        f"({file_size(request_limit)}, et {file_size(file_limit)} par fichier)\u00a0: rien n'a été enregistré. "
        "Réduisez ou découpez le fichier, puis envoyez-le à nouveau."
    )


def _file_too_large(name: str) -> str:
    return (
        f"Le fichier «\u00a0{name}\u00a0» dépasse {file_size(settings.UPLOAD_MAX_FILE_BYTES)}, la plus grande "
        "taille que la plateforme accepte\u00a0: rien n'a été enregistré. Réduisez ou découpez le fichier, puis "
        "envoyez-le à nouveau."
    )


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes of each file and of the whole body as they stream in and
    stops the request beyond the limits, before the next handlers keep them in memory or on disk."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise UploadTooLarge(_request_too_large(content_length))
        self.total = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        self.total += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES + FILE_MARGIN_BYTES:
            raise UploadTooLarge(_file_too_large(self.file_name))
        if self.total > settings.UPLOAD_MAX_REQUEST_BYTES:
            raise UploadTooLarge(_request_too_large(self.total))
        return raw_data

    def file_complete(self, file_size: int):
        return None


class UploadLimitMiddleware:
    """Answers the French 413 page when a body crosses the upload limits. It reads a POST body before any other
    middleware does (CSRF reads its token from it), so the refusal is this page, never a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        try:
            if declared > settings.UPLOAD_MAX_REQUEST_BYTES:
                raise UploadTooLarge(_request_too_large(declared))
            request.POST  # noqa: B018 (parses the body through BoundedUploadHandler)
        except UploadTooLarge as refused:
            # The files received until the refusal (temporary files of the other handlers) are closed, so
            # deleted, now rather than whenever the garbage collector passes.
            for handler in getattr(request, "_upload_handlers", []):
                file = getattr(handler, "file", None)
                if file is not None:
                    file.close()
            return render(request, "413.html", {"reason": str(refused)}, status=413)
        return None
