"""Shaping stored results for display: evidence highlights over the resume text, and the bars
of the SVG charts. No judgement happens here: offsets and scores come from the engines."""

from dataclasses import dataclass, field
from itertools import pairwise

CHART_WIDTH = 320  # px of the longest bar in the SVG charts


@dataclass
class Segment:
    text: str
    criteria: list[int] = field(default_factory=list)  # indexes into criteria_results

    @property
    def css(self) -> str:
        return " ".join(f"ev-{i % 8}" for i in self.criteria[:1])

    @property
    def ids(self) -> str:
        return " ".join(str(i) for i in self.criteria)


def evidence_segments(text: str, criteria_results: list[dict]) -> list[Segment]:
    """Cut ``text`` at every evidence boundary; each piece knows which criteria cited it.

    Spans whose quote no longer matches the text (never expected: engines guarantee
    ``quote == text[start:end]``) are skipped rather than highlighting the wrong words.
    """
    spans = []
    for index, item in enumerate(criteria_results):
        for evidence in item.get("evidence") or []:
            start, end = int(evidence.get("start", 0)), int(evidence.get("end", 0))
            if 0 <= start < end <= len(text) and text[start:end] == evidence.get("quote"):
                spans.append((start, end, index))
    cuts = sorted({0, len(text), *(s for s, _e, _i in spans), *(e for _s, e, _i in spans)})
    segments = []
    for start, end in pairwise(cuts):
        covering = sorted({i for s, e, i in spans if s <= start and end <= e})
        segments.append(Segment(text[start:end], covering))
    return segments


@dataclass
class Bar:
    label: str
    value: float
    maximum: float
    y: int = 0

    @property
    def width(self) -> float:
        if not self.maximum:
            return 0.0
        return round(max(0.0, min(1.0, self.value / self.maximum)) * CHART_WIDTH, 1)

    @property
    def share(self) -> float:
        return round(self.value / self.maximum * 100, 1) if self.maximum else 0.0


@dataclass
class BarChart:
    bars: list[Bar]
    row_height: int = 28
    label_width: int = 150

    def __post_init__(self) -> None:
        for number, bar in enumerate(self.bars):
            bar.y = number * self.row_height

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height

    @property
    def width(self) -> int:
        return self.label_width + CHART_WIDTH + 90

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def track_width(self) -> int:
        return CHART_WIDTH


def bar_chart(rows: list[tuple[str, float | None, float]]) -> BarChart:
    return BarChart(
        [Bar(label, float(value or 0), float(maximum)) for label, value, maximum in rows]
    )
