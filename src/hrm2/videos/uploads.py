"""Reading a multipart video upload: the form fields, the one file, and the probe that decides
whether it really is a recording. The size limits (declared, and while the file streams) are
``hrm2.api.uploads``'s, from ``settings.UPLOAD_LIMITS``.

Django streams a file larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file in 64 KB
chunks, so an upload of any size costs the web process only a chunk of memory; the storage then
moves (not copies) that temporary file into place.
"""

from typing import Any

from django.utils.translation import gettext as _

from hrm2 import media
from hrm2.api.errors import PayloadTooLarge, UnsupportedMediaType, ValidationFailed, validated
from hrm2.api.uploads import raise_if_refused
from hrm2.videos import conf
from hrm2.videos.schemas import UploadFormIn

FILE_FIELD = "video_file"


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        _("The video is too large"),
        detail=_("The limit is %(mb)d MB") % {"mb": limit // (1024 * 1024)},
    )


def read_form(request) -> UploadFormIn:
    fields: dict[str, Any] = {k: v for k, v in request.POST.items() if v != ""}
    return validated(UploadFormIn, fields, loc_prefix=("form",))


def uploaded_video(request):
    raise_if_refused(request)  # too large, declared or streamed: 413 naming the file
    unexpected = sorted(set(request.FILES) - {FILE_FIELD})
    if unexpected:
        raise ValidationFailed.for_field(
            ["form", unexpected[0]], _("Unexpected file field; send the video as 'video_file'")
        )
    files = request.FILES.getlist(FILE_FIELD)
    if not files:
        raise ValidationFailed.for_field(
            ["form", FILE_FIELD], _("No video file was uploaded"), "missing"
        )
    if len(files) > 1:
        raise ValidationFailed.for_field(
            ["form", FILE_FIELD], _("Upload one video at a time"), "too_many_files"
        )
    upload = files[0]
    limit = conf.max_bytes()
    if upload.size > limit:
        raise _too_large(limit)
    return upload


def probe_upload(upload) -> "media.MediaInfo":
    """415 unless FFmpeg recognises an audio/video container; 422 when it is too long."""
    from hrm2.media import probe as probing  # PyAV loads only when a video arrives

    try:
        if hasattr(upload, "temporary_file_path"):
            info = probing.probe(upload.temporary_file_path())
        else:
            upload.seek(0)
            info = probing.probe(upload.file)
            upload.seek(0)
    except probing.NotMediaError as exc:
        raise UnsupportedMediaType(
            _("The file is not a video or audio recording"), detail=str(exc)
        ) from exc
    limit = conf.max_seconds()
    if info.duration > limit:
        raise ValidationFailed.for_field(
            ["form", FILE_FIELD],
            _("The video is longer than %(minutes)d minutes") % {"minutes": limit // 60},
            "too_long",
        )
    return info
