"""Upload size limits, enforced before the body is read and while it streams.

``settings.UPLOAD_LIMITS`` maps a URL path (API or console) to the largest file it accepts and how
many files one request may carry. ``BodySizeLimitMiddleware`` refuses a request whose declared
``Content-Length`` exceeds ``files × file size`` (plus the form's overhead) without reading a byte,
and installs ``FileSizeLimitHandler`` so a body whose length is honest but one of whose files is too
large stops being read at that file's limit.

An API path answers 413 in the envelope at once. A console path cannot: its page must show the
message in the form, so the refusal is kept on the request (``request.upload_refusal``), the
request's form data is left empty, and the view's file reader (``raise_if_refused``) raises it.
Nothing here knows any domain; the paths and sizes come from settings.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from hrm2.api.errors import PayloadTooLarge

MB = 1024 * 1024


@dataclass(frozen=True)
class UploadLimit:
    file_bytes: int  # the largest single file
    files: int  # the most files one request may carry

    @property
    def request_bytes(self) -> int:
        """The largest declared body: every file at its limit, plus the form around them."""
        return self.file_bytes * self.files + settings.UPLOAD_FORM_OVERHEAD_BYTES


def limit_for(path: str) -> UploadLimit | None:
    """The upload limit of ``path`` (with or without its trailing slash), if it takes files."""
    entry = settings.UPLOAD_LIMITS.get(path if path.endswith("/") else path + "/")
    return UploadLimit(int(entry[0]), int(entry[1])) if entry else None


def megabytes(size: int) -> str:
    return f"{round(size / MB, 1 if size >= MB else 2):g}"


def declared_too_large(limit: UploadLimit, declared: int) -> PayloadTooLarge:
    sizes = {"limit": megabytes(limit.file_bytes * limit.files), "size": megabytes(declared)}
    if limit.files == 1:
        message = _("File too large: the limit is %(limit)s MB, received %(size)s MB") % sizes
    else:
        message = (
            _("Upload too large: the limit is %(limit)s MB per upload, received %(size)s MB")
            % sizes
        )
    return PayloadTooLarge(message)


def file_too_large(name: str, limit: UploadLimit) -> PayloadTooLarge:
    return PayloadTooLarge(
        _("File %(name)s is too large: the limit is %(limit)s MB")
        % {"name": name, "limit": megabytes(limit.file_bytes)}
    )


def refuse_without_reading(request, limit: UploadLimit, declared: int) -> None:
    """Keep the refusal for the view and make the form data empty, so nothing reads the body.
    Its message is written when the view raises it, in the page's language."""
    request.upload_refusal = lambda: declared_too_large(limit, declared)
    request._post, request._files = QueryDict(), MultiValueDict()


def raise_if_refused(request) -> None:
    """Raise the upload's refusal (declared size or one file too large), if there is one.
    Every view reading uploaded files calls this first: after a refusal the files it would see
    are only those read before the limit."""
    refusal = getattr(request, "upload_refusal", None)
    if refusal is not None:
        raise refusal() if callable(refusal) else refusal


class FileSizeLimitHandler(FileUploadHandler):
    """First of the request's upload handlers: stops reading the body as soon as one file passes
    its limit, and keeps the refusal (naming the file) on the request."""

    def __init__(self, request, limit: UploadLimit) -> None:
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit.file_bytes:
            self.request.upload_refusal = file_too_large(self.file_name or "", self.limit)
            raise StopUpload(connection_reset=True)  # do not read the rest of the body
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) builds the file
