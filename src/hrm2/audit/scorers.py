"""How a document's human totals are computed from its results, per document kind.

By default a document's total is the ``max_score``-weighted mean of its point scores and a failed
veto point fails it. A producer whose report has its own overall — screening computes one with
dimension weights and hard requirements — registers a scorer for its kind (in its AppConfig),
so the audit's total and the report's overall are one number computed one way, for the machine's
verdicts and for the reviewer's. Audit never imports the producer: the producer calls
:func:`register`.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Totals:
    total: float | None
    passed: bool | None
    # The producer's decision code (screening: interview / reserve / reject); "" when none.
    outcome: str = ""


# (document, its results with their points) → the totals with the people's verdicts in place.
Scorer = Callable[..., Totals]
_SCORERS: dict[str, Scorer] = {}


def register(kind: str, scorer: Scorer) -> None:
    _SCORERS[kind] = scorer


def weighted_totals(rows) -> Totals:
    """``rows``: (point, result "pass"/"fail", score 0–100). Weighted by ``max_score`` (a plain
    mean when all weights are 0); a failed veto point fails."""
    if not rows:
        return Totals(None, None)
    weight = sum(point.max_score for point, _result, _score in rows)
    if weight > 0:
        total = sum(score * point.max_score for point, _result, score in rows) / weight
    else:
        total = sum(score for _point, _result, score in rows) / len(rows)
    passed = not any(point.is_veto and result == "fail" for point, result, _s in rows)
    return Totals(round(total, 4), passed)


def human_totals(document, results) -> Totals:
    """The document's totals with every person's verdict and score in place."""
    scorer = _SCORERS.get(document.kind)
    if scorer is not None:
        return scorer(document, results)
    return weighted_totals([(r.point, r.final_result, r.effective_score) for r in results])
