"""Job kinds and the function that runs each; domain apps register theirs in ``tasks.py``."""

from collections.abc import Callable
from typing import Any

_runners: dict[str, Callable[..., Any]] = {}


def register(kind: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        existing = _runners.get(kind)
        if existing is not None and existing is not func:
            raise ValueError(f"job kind {kind!r} is already registered")
        _runners[kind] = func
        return func

    return decorator


def get_runner(kind: str) -> Callable[..., Any] | None:
    return _runners.get(kind)


def kinds() -> list[str]:
    return sorted(_runners)
