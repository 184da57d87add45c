"""The words for the position codes a person sees: the weight names of the criteria and the
education levels (stored in Chinese; English reads them through :mod:`hrm2.ai.vocabulary`).

The console form, the position history and its differences all read them here.
"""

from django.utils.translation import pgettext_lazy

from hrm2.ai.vocabulary import education_label
from hrm2.positions.models import EDUCATION_LEVELS

WEIGHTS = {
    "skills": pgettext_lazy("criteria weight", "Skills"),
    "experience": pgettext_lazy("criteria weight", "Experience"),
    "education": pgettext_lazy("criteria weight", "Education"),
    "certifications": pgettext_lazy("criteria weight", "Certifications"),
    "projects": pgettext_lazy("criteria weight", "Projects"),
    "leadership": pgettext_lazy("criteria weight", "Leadership"),
}


def weight_label(name: str | None) -> str:
    """``skills`` → 技能; an unknown weight is shown as a dash, never as itself."""
    return str(WEIGHTS[name]) if name in WEIGHTS else "—"


def education_choices() -> list[tuple[str, str]]:
    """``[(本科, "bachelor's degree"), …]`` in the active language, lowest level first."""
    return [(level, education_label(level)) for level in EDUCATION_LEVELS]
