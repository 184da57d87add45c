"""Compile the gettext catalogues (.po → .mo) with Babel, so no system gettext is needed.

The .po files are the source of truth in the repository; the .mo files are build output,
compiled on start-up when missing or older than their .po.
"""

import logging
import os
from pathlib import Path

logger = logging.getLogger("hrm2")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def compile_messages(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            # Per process: web workers starting together may compile at the same moment.
            tmp_path = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
            with tmp_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            tmp_path.replace(mo_path)
            compiled.append(mo_path)
        except OSError as exc:  # read-only install: the packaged .mo is used as it is
            logger.warning("could not compile %s: %s", po_path, exc)
    return compiled
