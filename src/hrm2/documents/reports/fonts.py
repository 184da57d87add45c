"""The CJK font the PDF renderer embeds, found inside an installed Python package.

A fresh machine has no Chinese font, and fpdf2's core fonts are Latin-1 only, so Chinese would
come out as blanks or tofu. The PyPI package ``paperang-p2-fonts-cjk`` ships WenQuanYi Micro Hei
(``wqy-microhei.ttc``, a TrueType collection: face 0 proportional, face 1 monospaced); fpdf2 reads
a collection face directly and embeds only the glyphs used (a subset), so a report PDF stays small.
The font's own name table says Apache License 2.0 (upstream WenQuanYi Micro Hei is Apache-2.0 or
GPLv3-with-font-exception); embedding is permitted (OS/2 fsType 8).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import threading
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont

__all__ = ["CJK_FONT_INDEX", "cjk_font_path", "supported_codepoints"]

FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "fonts/wqy-microhei.ttc"
CJK_FONT_INDEX = 0  # WenQuanYi Micro Hei (1 is the Mono face)

_lock = threading.Lock()
_resources = contextlib.ExitStack()
atexit.register(_resources.close)


@functools.cache
def _locate() -> Path:
    try:
        resource = resources.files(FONT_PACKAGE).joinpath(FONT_FILE)
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "The PDF report font is missing: install the Python package paperang-p2-fonts-cjk"
        ) from exc
    if not resource.is_file():
        raise RuntimeError(f"{FONT_PACKAGE} is installed but has no {FONT_FILE}")
    # A normal install is a real file; from a zip, as_file extracts it once for the process.
    return Path(_resources.enter_context(resources.as_file(resource)))


def cjk_font_path() -> Path:
    with _lock:
        return _locate()


@functools.cache
def _codepoints(path: Path, index: int) -> frozenset[int]:
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def supported_codepoints() -> frozenset[int]:
    """Characters the embedded face has a glyph for (computed once per process)."""
    path = cjk_font_path()
    with _lock:
        return _codepoints(path, CJK_FONT_INDEX)
