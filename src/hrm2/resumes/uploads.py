"""Reading a multipart resume upload: the form fields, the files, and the combined outcome."""

from typing import Any

import orjson
from django.conf import settings
from django.utils.translation import gettext as _

from hrm2.api.errors import ApiError, ValidationFailed, validated
from hrm2.api.uploads import raise_if_refused
from hrm2.api.validation_messages import translate_errors
from hrm2.resumes.schemas import UploadFormIn

FILE_FIELDS = ("files", "files[]")


def read_upload_form(request) -> UploadFormIn:
    fields: dict[str, Any] = {k: v for k, v in request.POST.items() if v != ""}
    if "position_details" in fields:
        try:
            fields["position_details"] = orjson.loads(fields["position_details"])
        except orjson.JSONDecodeError as exc:
            raise ValidationFailed(
                errors=translate_errors(
                    [{"type": "json_invalid", "loc": ["position_details"]}], loc_prefix=("form",)
                )
            ) from exc
    return validated(UploadFormIn, fields, loc_prefix=("form",))


def uploaded_files(request) -> list:
    raise_if_refused(request)  # too large, declared or streamed: 413 naming the file
    files = [f for name in FILE_FIELDS for f in request.FILES.getlist(name)]
    unexpected = sorted(set(request.FILES) - set(FILE_FIELDS))
    if unexpected:
        raise ValidationFailed.for_field(
            ["form", unexpected[0]], _("Unexpected file field; send the files as 'files'")
        )
    if not files:
        raise ValidationFailed.for_field(["form", "files"], _("No file was uploaded"), "missing")
    limit = getattr(settings, "RESUME_MAX_FILES_PER_UPLOAD", 50)
    if len(files) > limit:
        raise ValidationFailed.for_field(
            ["form", "files"],
            _("At most %(limit)d files per upload (got %(count)d)")
            % {"limit": limit, "count": len(files)},
            "too_many_files",
        )
    return files


def summarise(outcomes: list[dict[str, Any]]) -> dict[str, Any]:
    """The 201 body when at least one file was accepted; otherwise the error to raise."""
    counts = {
        status: sum(o["status"] == status for o in outcomes)
        for status in ("accepted", "duplicate", "rejected")
    }
    if counts["accepted"] == 0:
        codes = {o["code"] for o in outcomes}
        status = codes.pop() if len(codes) == 1 else 422
        first = outcomes[0]
        raise ApiError(
            _("No file was accepted") if len(outcomes) > 1 else first["reason"],
            detail="; ".join(f"{o['filename']}: {o['reason']}" for o in outcomes),
            errors=[
                {
                    "loc": ["form", "files", i],
                    "msg": o["reason"],
                    "type": o["status"],
                    **({"existing_id": o["resume_id"]} if o["resume_id"] else {}),
                }
                for i, o in enumerate(outcomes)
            ],
            status=status,
        )
    return {
        "items": outcomes,
        "accepted": counts["accepted"],
        "duplicates": counts["duplicate"],
        "rejected": counts["rejected"],
    }
