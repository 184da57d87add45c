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


# --- video analysis ---------------------------------------------------------------------------

TIMELINE_WIDTH = 640  # px of the time axis
TIMELINE_LABEL_WIDTH = 240
TIMELINE_ROW = 26
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800)


@dataclass
class TimelineSpan:
    start: float
    end: float
    strength: float  # 0–1 (1 for spans that only mark presence, e.g. speech)
    x: float = 0.0
    width: float = 0.0

    @property
    def opacity(self) -> float:
        """Stronger events are drawn darker (never invisible)."""
        return round(0.25 + 0.75 * self.strength, 2)


@dataclass
class TimelineLane:
    key: str
    label: str
    spans: list[TimelineSpan]
    signal: bool = True  # False: a context lane (speech), not a fraud signal
    y: int = 0


@dataclass
class Timeline:
    duration: float
    lanes: list[TimelineLane]
    ticks: list[tuple[float, float]]  # (seconds, x)
    label_width: int = TIMELINE_LABEL_WIDTH
    axis_width: int = TIMELINE_WIDTH
    row_height: int = TIMELINE_ROW

    @property
    def axis_y(self) -> int:
        return len(self.lanes) * self.row_height + 4

    @property
    def height(self) -> int:
        return self.axis_y + 24

    @property
    def width(self) -> int:
        return self.label_width + self.axis_width + 16

    @property
    def axis_end(self) -> int:
        return self.label_width + self.axis_width


def _tick_step(duration: float) -> int:
    return next((s for s in TICK_STEPS if duration / s <= 8), TICK_STEPS[-1])


def signal_timeline(
    *,
    duration: float,
    events: list[dict],
    speech: list[list[float]],
    labels: dict[str, str],
    speech_label: str,
) -> Timeline:
    """Lanes of spans on one time axis: speech for context, then one lane per signal type (in
    the order of ``labels``) with each event where the pipeline says it fired."""
    duration = max(float(duration or 0.0), *(float(e.get("end", 0)) for e in events), 0.1)
    scale = TIMELINE_WIDTH / duration

    def place(start: float, end: float, strength: float) -> TimelineSpan:
        start, end = max(0.0, float(start)), min(duration, max(float(start), float(end)))
        return TimelineSpan(
            start=start,
            end=end,
            strength=max(0.0, min(1.0, float(strength))),
            x=round(TIMELINE_LABEL_WIDTH + start * scale, 1),
            width=round(max(2.0, (end - start) * scale), 1),
        )

    lanes = [
        TimelineLane(
            "speech",
            speech_label,
            [place(a, b, 1.0) for a, b in (s[:2] for s in speech or [])],
            signal=False,
        )
    ]
    kinds = list(labels) + sorted({e["type"] for e in events} - set(labels))
    for kind in kinds:
        of_kind = [e for e in events if e.get("type") == kind]
        if of_kind:
            lanes.append(
                TimelineLane(
                    kind,
                    labels.get(kind, kind),
                    [place(e["start"], e["end"], e.get("strength", 0)) for e in of_kind],
                )
            )
    for number, lane in enumerate(lanes):
        lane.y = number * TIMELINE_ROW
    step = _tick_step(duration)
    ticks = [
        (float(t), round(TIMELINE_LABEL_WIDTH + t * scale, 1))
        for t in range(0, int(duration) + 1, step)
    ]
    return Timeline(duration=round(duration, 2), lanes=lanes, ticks=ticks)


TRAIT_ROW = 40


@dataclass
class TraitChart:
    rows: list["TraitRow"]
    label_width: int = 150

    @property
    def height(self) -> int:
        return max(1, len(self.rows)) * TRAIT_ROW

    @property
    def width(self) -> int:
        return self.label_width + CHART_WIDTH + 110

    @property
    def bar_x(self) -> int:
        return self.label_width

    @property
    def track_width(self) -> int:
        return CHART_WIDTH

    @property
    def neutral_x(self) -> float:
        return self.label_width + CHART_WIDTH / 2


@dataclass
class TraitRow:
    key: str
    label: str
    value: float | None  # the effective value (a reviewer's correction when there is one)
    machine: float | None
    confidence: float | None
    reviewed: bool
    evidence: list[dict] = field(default_factory=list)
    y: int = 0

    @property
    def bar_width(self) -> float:
        return round(max(0.0, min(1.0, self.value or 0.0)) * CHART_WIDTH, 1)

    @property
    def confidence_width(self) -> float:
        return round(max(0.0, min(1.0, self.confidence or 0.0)) * CHART_WIDTH, 1)

    @property
    def percent(self) -> float:
        return round(max(0.0, min(1.0, self.value or 0.0)) * 100, 1)

    @property
    def confidence_percent(self) -> float:
        return round(max(0.0, min(1.0, self.confidence or 0.0)) * 100, 1)


def trait_rows(
    *, personality: dict, effective: dict, reviewed: list[str], labels: dict[str, str]
) -> list[TraitRow]:
    """The Big Five impressions: effective value, the machine's, and the model's confidence."""
    traits = personality.get("traits") or {}
    rows = []
    for key, label in labels.items():
        machine = traits.get(key) or {}
        rows.append(
            TraitRow(
                key=key,
                label=label,
                value=effective.get(f"{key}_score"),
                machine=machine.get("score"),
                confidence=machine.get("confidence"),
                reviewed=f"{key}_score" in reviewed,
                evidence=machine.get("evidence") or [],
                y=len(rows) * TRAIT_ROW,
            )
        )
    return rows


# --- group evaluation ---------------------------------------------------------------------------


@dataclass
class DimensionCell:
    key: str
    score: float | None  # 1–5, None when the dimension has no evidence
    status: str  # "scored" | "insufficient_evidence" | "" (no result)
    missing: list[str] = field(default_factory=list)


@dataclass
class CandidateDimensions:
    row: object  # the CandidateResult
    cells: list[DimensionCell]


def dimension_matrix(rows: list) -> tuple[list[tuple[str, str, float]], list[CandidateDimensions]]:
    """Columns (key, label, weight) from the first finished result, and per candidate its
    dimension scores in that order; a dimension without evidence stays None, never a number."""
    columns: list[tuple[str, str, float]] = []
    for row in rows:
        dimensions = (row.result or {}).get("dimensions") or []
        if dimensions:
            columns = [(d["key"], d["label"], d.get("weight", 0.0)) for d in dimensions]
            break
    matrix = []
    for row in rows:
        by_key = {d["key"]: d for d in (row.result or {}).get("dimensions") or []}
        cells = [
            DimensionCell(
                key=key,
                score=(by_key.get(key) or {}).get("score"),
                status=(by_key.get(key) or {}).get("status", ""),
                missing=(by_key.get(key) or {}).get("missing") or [],
            )
            for key, _label, _weight in columns
        ]
        matrix.append(CandidateDimensions(row=row, cells=cells))
    return columns, matrix
