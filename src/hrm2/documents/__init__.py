"""Resume files in, scoreable text out — safely.

Uploaded resumes are untrusted input: renamed executables, zip bombs dressed as DOCX, PDFs that
crash parsers, and "invisible" keyword stuffing (white-on-white, 1-pt or off-page text) meant to
game screening. This ground-floor package (it imports no domain app) detects the real file type
from its content, enforces size/page/time limits, extracts the visible text, and reports what it
removed, so every caller scores the same, honest text. Entry point: ``extract_resume``.
"""

from hrm2.documents.parsing import ParsedDocument, extract_resume

__all__ = ["ParsedDocument", "extract_resume"]
