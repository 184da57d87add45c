"""Engines by name, per capability: imported lazily by dotted path, one shared instance each.

Adding an engine is adding one module and one entry; heavy engines load on first use only.
"""

import importlib
import threading
from typing import Any


class EngineRegistry:
    def __init__(
        self,
        capability: str,
        paths: dict[str, str],
        *,
        error: type[ValueError],
        default: str = "embedded",
    ) -> None:
        self.capability = capability
        self.paths = dict(paths)
        self.error = error
        self.default = default
        self.instances: dict[str, Any] = {}  # tests may put a configured engine here
        self._lock = threading.Lock()

    def register(self, name: str, dotted_path: str) -> None:
        with self._lock:
            self.paths[name] = dotted_path
            self.instances.pop(name, None)

    def available(self) -> list[str]:
        return sorted(self.paths)

    def get(self, name: str | None = None) -> Any:
        name = name or self.default
        with self._lock:
            if name in self.instances:
                return self.instances[name]
            try:
                module_name, _, attr = self.paths[name].partition(":")
            except KeyError:
                raise self.error(f"unknown {self.capability} engine: {name!r}") from None
            engine = getattr(importlib.import_module(module_name), attr)()
            self.instances[name] = engine
            return engine
