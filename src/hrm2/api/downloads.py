"""The one way to answer a file download: an attachment with a safe, UTF-8 file name.

Downloads are not JSON, so they bypass the envelope; every one of them (API and console) goes
through ``attachment`` so the headers cannot drift apart.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.http import HttpResponse


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    content_type: str
    filename: str  # shown to the user; may contain Chinese; never used as a path


def attachment(exported: ExportedFile) -> HttpResponse:
    extension = exported.filename.rsplit(".", 1)[-1]
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"report.{extension}\"; filename*=UTF-8''{quote(exported.filename)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"  # candidates' personal data
    return response
