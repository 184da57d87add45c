"""The words for the AI codes a person sees: engine names and education levels.

Both are codes of this package (the engine registry's names; ``education.LEVELS``), so their
words live here and every page, report and API label field reads them from here. Engine names
are gettext strings (English msgids, Chinese catalogue); education levels are stored in Chinese,
so Chinese shows the level itself and English reads :data:`hrm2.ai.education.ENGLISH`.
"""

from django.utils.translation import get_language, pgettext_lazy

from hrm2.ai.education import ENGLISH as EDUCATION_ENGLISH

ENGINES = {
    "embedded": pgettext_lazy("screening engine", "Built-in engine (offline)"),
    "llm": pgettext_lazy("screening engine", "Large language model"),
}


def engine_label(code: str | None) -> str:
    """``embedded`` → 内置引擎（离线）; an unknown engine is shown as a dash, never as itself."""
    return str(ENGINES[code]) if code in ENGINES else "—"


def is_english(language: str | None = None) -> bool:
    return (language or get_language() or "").lower().startswith("en")


def education_label(level: str, language: str | None = None) -> str:
    """``本科`` in Chinese, "bachelor's degree" in English (``language`` or the active one).

    ``本科/硕士`` (a requirement naming several levels) reads "bachelor's degree / master's
    degree"; a text that is no level is returned as it is."""
    if not is_english(language):
        return level
    parts = [part.strip() for part in level.split("/")]
    if not all(part in EDUCATION_ENGLISH for part in parts):
        return level
    return " / ".join(EDUCATION_ENGLISH[part] for part in parts)
