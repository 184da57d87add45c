"""The report as plain data: what to say, not how it looks.

Producers (screening, interviews, recommendation) build a ``Report``; the renderers in this package
turn it into Markdown, PDF, DOCX or JSON. Keeping the model free of any rendering engine means a
report can be stored as JSON, rendered later in another format, and tested without a PDF library.
Text may be Chinese or English; ``language`` only picks the renderers' few fixed words (chart
column headings, page numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

__all__ = [
    "MARKS",
    "Bar",
    "BarChart",
    "Chart",
    "RadarChart",
    "Report",
    "Section",
    "Table",
    "format_value",
]

# The marks reports put before a verdict or in a yes/no cell. Each is in the PDF's embedded face
# (it has no ✗, and its ✓ is a thin radical next to a heavy ✘): a heavy pair, half and empty.
MARKS = {"yes": "✔", "no": "✘", "partly": "◐", "unknown": "○"}


def format_value(value: float) -> str:
    """72.0 → "72", 72.35 → "72.4": scores read as people write them."""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


@dataclass
class Bar:
    label: str
    value: float
    maximum: float = 100

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"bar {self.label!r}: value must be a finite number")
        if not math.isfinite(self.maximum) or self.maximum <= 0:
            raise ValueError(f"bar {self.label!r}: maximum must be a positive number")

    @property
    def ratio(self) -> float:
        """Share of the maximum, clamped to 0..1 (a value past the scale fills the bar)."""
        return min(max(self.value / self.maximum, 0.0), 1.0)

    @property
    def display(self) -> str:
        """The value as printed next to the bar: "72", or "7/10" off a 100-point scale."""
        if self.maximum == 100:
            return format_value(self.value)
        return f"{format_value(self.value)}/{format_value(self.maximum)}"


@dataclass
class BarChart:
    title: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class RadarChart:
    """Scores on one shared scale drawn as a polygon over equally spaced axes (PDF).

    Each axis is a ``Bar`` (label, value, maximum). Markdown and DOCX show it as the same
    dimension/score table as a bar chart; the PDF draws the radar.
    """

    title: str
    axes: list[Bar] = field(default_factory=list)

    def __post_init__(self) -> None:
        if len(self.axes) < 3:
            raise ValueError("a radar chart needs at least three axes")

    @property
    def bars(self) -> list[Bar]:
        return self.axes


Chart = BarChart | RadarChart


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.columns:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table row {number} has {len(row)} cells, expected {len(self.columns)}"
                )


NOTHING = "—"  # what a section with nothing to list says, in every language


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    table: Table | None = None

    def __post_init__(self) -> None:
        """A heading never stands alone (an empty "Strengths" read like a rendering fault)."""
        if not any(p.strip() for p in self.paragraphs) and not self.bullets and not self.table:
            self.paragraphs = [NOTHING]


@dataclass
class Report:
    title: str
    subtitle: str = ""
    meta: list[tuple[str, str]] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    language: str = "zh-hans"
    # Goes into the PDF/DOCX metadata; None → a fixed date, so a report always renders the same.
    created: datetime | None = None

    @property
    def is_english(self) -> bool:
        return self.language.lower().startswith("en")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Inverse of ``dataclasses.asdict`` (and of the JSON rendering)."""
        created = data.get("created")
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        return cls(
            title=data["title"],
            subtitle=data.get("subtitle", ""),
            meta=[(str(key), str(value)) for key, value in data.get("meta", [])],
            charts=[
                RadarChart(title=c["title"], axes=[Bar(**b) for b in c["axes"]])
                if "axes" in c
                else BarChart(title=c["title"], bars=[Bar(**b) for b in c.get("bars", [])])
                for c in data.get("charts", [])
            ],
            sections=[
                Section(
                    heading=s["heading"],
                    paragraphs=list(s.get("paragraphs", [])),
                    bullets=list(s.get("bullets", [])),
                    table=Table(**s["table"]) if s.get("table") else None,
                )
                for s in data.get("sections", [])
            ],
            footer=data.get("footer", ""),
            language=data.get("language", "zh-hans"),
            created=created,
        )


# The few words the renderers write themselves, by language.
LABELS = {
    "zh": {"dimension": "维度", "score": "得分", "page": "第 {page} 页 / 共 {pages} 页"},
    "en": {"dimension": "Dimension", "score": "Score", "page": "Page {page} of {pages}"},
}


def labels(report: Report) -> dict[str, str]:
    return LABELS["en" if report.is_english else "zh"]
