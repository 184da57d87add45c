"""Configuration of the LLM engines and what each endpoint was found to accept.

Read when an engine is constructed: the ``HRM2_LLM_*`` environment variables, then a non-empty
Django setting of the same name, then the engine's keyword arguments:

- ``HRM2_LLM_BASE_URL``, ``HRM2_LLM_API_KEY``, ``HRM2_LLM_MODEL``: the OpenAI-compatible endpoint;
- ``HRM2_LLM_MAX_CONCURRENCY`` (4): calls in flight per process, one semaphore per value shared
  by every engine and thread (``1`` for a local server that answers one request at a time);
- ``HRM2_LLM_SLOT_WAIT`` (60 s): how long a call may wait for a free slot before it gives up;
- ``HRM2_LLM_TIMEOUT`` (30 s): the deadline of one call, from sending the request to the end
  of the answer; ``HRM2_LLM_MAX_RETRIES`` (2);
- ``HRM2_LLM_MAX_TOKENS`` (512): the answer length the screening engine asks for;
- ``HRM2_LLM_RESPONSE_FORMAT`` (``auto``): ``json_schema`` (OpenAI, vLLM, llama.cpp),
  ``json_object_schema`` (``{"type": "json_object", "schema": …}``: llama.cpp and
  llama-cpp-python), ``json_object`` or ``none`` (the prompt alone) to fix the
  ``response_format``; ``auto`` starts with ``json_schema`` and steps down the first time
  the endpoint rejects it, remembering the format that works per endpoint, model and answer
  schema for the life of the process.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any

# The ladder, best first: the schema the OpenAI way, the schema the llama.cpp way, any JSON
# object, the prompt alone.
RESPONSE_FORMATS = ("json_schema", "json_object_schema", "json_object", "none")


# -- configuration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LLMConfig:
    base_url: str = ""
    api_key: str = ""
    model: str = ""
    max_concurrency: int = 4
    timeout: float = 30.0
    max_retries: int = 2
    max_tokens: int = 512
    slot_wait: float = 60.0
    response_format: str = "auto"  # auto or one of RESPONSE_FORMATS

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.model)

    @classmethod
    def load(cls, **overrides: Any) -> LLMConfig:
        """From ``HRM2_LLM_*`` (environment, then Django settings, then ``overrides``)."""

        def raw(name: str) -> Any:
            key = f"HRM2_LLM_{name.upper()}"
            value: Any = os.environ.get(key, "")
            try:
                from django.conf import settings

                if settings.configured:
                    setting = getattr(settings, key, None)
                    if setting not in (None, ""):
                        value = setting
            except ImportError:  # pragma: no cover - Django is a dependency of hrm2
                pass
            if overrides.get(name) is not None:
                value = overrides[name]
            return value

        def number(name: str, kind: type, default: float, low: float) -> Any:
            value = raw(name)
            try:
                return max(kind(low), kind(value)) if value not in (None, "") else kind(default)
            except (TypeError, ValueError):
                raise ValueError(f"HRM2_LLM_{name.upper()} must be a number: {value!r}") from None

        base_url = str(raw("base_url") or "").strip().rstrip("/")
        if base_url and not base_url.lower().startswith(("http://", "https://")):
            raise ValueError(f"HRM2_LLM_BASE_URL must be an http(s) URL: {base_url!r}")
        response_format = str(raw("response_format") or "auto").strip().lower()
        if response_format not in ("auto", *RESPONSE_FORMATS):
            raise ValueError(
                "HRM2_LLM_RESPONSE_FORMAT must be auto, json_schema, json_object_schema, "
                "json_object or none: "
                f"{response_format!r}"
            )
        return cls(
            base_url=base_url,
            api_key=str(raw("api_key") or "").strip(),
            model=str(raw("model") or "").strip(),
            max_concurrency=number("max_concurrency", int, 4, 1),
            timeout=number("timeout", float, 30.0, 0.1),
            max_retries=number("max_retries", int, 2, 0),
            max_tokens=number("max_tokens", int, 512, 16),
            slot_wait=number("slot_wait", float, 60.0, 0.0),
            response_format=response_format,
        )


_SEMAPHORES: dict[int, threading.BoundedSemaphore] = {}
_SEMAPHORES_LOCK = threading.Lock()


def process_semaphore(limit: int) -> threading.BoundedSemaphore:
    """The process-wide semaphore bounding in-flight LLM calls at ``limit``."""
    with _SEMAPHORES_LOCK:
        return _SEMAPHORES.setdefault(limit, threading.BoundedSemaphore(limit))


# -- the response format each endpoint accepts ------------------------------------------------

# Per endpoint, model and answer schema: a server may refuse one schema (a construct its
# grammar converter does not know) and take another, so one engine's refusal does not cost
# the others their schema.
_DETECTED_FORMATS: dict[tuple[str, str, str], str] = {}
_FORMATS_LOCK = threading.Lock()


def detected_format(config: LLMConfig, schema_name: str = "") -> str:
    """The ``response_format`` to send: the configured one, else the one detected for this
    endpoint (and answer schema) in this process, else ``json_schema`` (the best) until the
    server rejects it."""
    if config.response_format != "auto":
        return config.response_format
    with _FORMATS_LOCK:
        key = (config.base_url, config.model, schema_name)
        return _DETECTED_FORMATS.get(key, RESPONSE_FORMATS[0])


def remember_format(config: LLMConfig, response_format: str, schema_name: str = "") -> None:
    with _FORMATS_LOCK:
        key = (config.base_url, config.model, schema_name)
        current = _DETECTED_FORMATS.get(key, RESPONSE_FORMATS[0])
        # concurrent calls may learn it at once; keep the lowest rung that was needed
        if RESPONSE_FORMATS.index(response_format) > RESPONSE_FORMATS.index(current):
            _DETECTED_FORMATS[key] = response_format


def forget_detected_formats() -> None:
    """Start detection again for every endpoint (tests; a server that was upgraded)."""
    with _FORMATS_LOCK:
        _DETECTED_FORMATS.clear()


def step_down(response_format: str) -> str | None:
    index = RESPONSE_FORMATS.index(response_format)
    return RESPONSE_FORMATS[index + 1] if index + 1 < len(RESPONSE_FORMATS) else None
