"""Job kinds: the function that runs each, and what to do when the machinery gives a job up.

Domain apps register theirs in ``tasks.py`` with the kind's ``label`` (the words a person
reads, :mod:`hrm2.jobs.vocabulary`). ``on_abandoned`` runs when the reaper fails a job
whose workers kept dying (no runner code is alive to clean up), so the app can settle its own
state, e.g. put a group's status back.
"""

from collections.abc import Callable
from typing import Any

_runners: dict[str, Callable[..., Any]] = {}
_abandoned_hooks: dict[str, Callable[..., Any]] = {}
_labels: dict[str, Any] = {}  # kind → its words (a lazy translation)


def register(
    kind: str, *, label: Any = None, on_abandoned: Callable[..., Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        existing = _runners.get(kind)
        if existing is not None and existing is not func:
            raise ValueError(f"job kind {kind!r} is already registered")
        _runners[kind] = func
        if label is not None:
            _labels[kind] = label
        if on_abandoned is not None:
            _abandoned_hooks[kind] = on_abandoned
        return func

    return decorator


def get_runner(kind: str) -> Callable[..., Any] | None:
    return _runners.get(kind)


def get_abandoned_hook(kind: str) -> Callable[..., Any] | None:
    return _abandoned_hooks.get(kind)


def kinds() -> list[str]:
    return sorted(_runners)


def labels() -> dict[str, Any]:
    """``{kind: words}`` of the registered kinds that gave a label."""
    return dict(_labels)
