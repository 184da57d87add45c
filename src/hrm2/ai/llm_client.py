"""One validated JSON answer from an OpenAI-compatible chat-completions endpoint.

Shared by every LLM engine (screening, interview, recommendation). What it guarantees:

- **Schema sent, answer validated.** The answer's JSON schema is generated from the pydantic
  model that validates it and sent as ``response_format`` ``json_schema`` (strict) where the
  server supports it, else as llama.cpp takes it (``json_object`` with a ``schema``), else as
  ``json_object``, else the prompt alone says what to answer. The format is detected once
  per endpoint (and answer schema): a 400/422 answer to a request with a ``response_format``
  (or any error naming it: llama-cpp-python answers 500) steps down the ladder and the format
  that then works is remembered for the process. ``HRM2_LLM_RESPONSE_FORMAT`` fixes it.
- **Small answers.** Lists longer and texts longer than the schema allows are cut to size
  before validation (never fatal); ``max_tokens`` is sent when the caller gives it. An invalid
  answer gets a repair request that carries only the validation errors and the invalid values
  (appended to the same prompt, so a server prompt cache still matches), at a slightly higher
  temperature so the model does not repeat itself.
- **Deadlines that mean something.** The per-call deadline (``HRM2_LLM_TIMEOUT``) starts when
  the request is sent and covers connecting, waiting and reading the whole answer. Waiting for a
  free concurrency slot (one process-wide semaphore per ``HRM2_LLM_MAX_CONCURRENCY``) is
  bounded separately (``HRM2_LLM_SLOT_WAIT``) and recorded as ``queue_ms``, never in
  ``latency_ms``.
- **Every HTTP attempt recorded** as an :class:`~hrm2.ai.screening.LLMCall`.

Configuration and the per-endpoint format detection: :mod:`hrm2.ai.llm_config`.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import ssl
import threading
import time
import urllib.request
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, ValidationError

from hrm2.ai.llm_config import (
    RESPONSE_FORMATS,
    LLMConfig,
    detected_format,
    forget_detected_formats,
    process_semaphore,
    remember_format,
    step_down,
)
from hrm2.ai.screening import LLMCall

__all__ = [
    "RESPONSE_FORMATS",
    "Completion",
    "LLMConfig",
    "LLMError",
    "answer_schema",
    "error_text",
    "fit_to_schema",
    "forget_detected_formats",
    "parse_answer",
    "process_semaphore",
    "structured_call",
]

REPAIR_TEMPERATURE = 0.3
MAX_RESPONSE_BYTES = 4 * 1024 * 1024


# -- answers' schemas ---------------------------------------------------------------------------


@cache
def answer_schema(model: type[BaseModel]) -> dict:
    """The JSON schema of ``model`` for a strict ``json_schema`` response format: references
    inlined, titles and defaults removed, every property required, no other properties
    (cached: do not modify the result)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            return walk({**target, **{k: v for k, v in node.items() if k != "$ref"}})
        out = {k: walk(v) for k, v in node.items() if k not in ("title", "default")}
        if out.get("type") == "object" and "properties" in out:
            out["required"] = list(out["properties"])
            out.setdefault("additionalProperties", False)
        return out

    return walk(schema)


def fit_to_schema(value: Any, schema: dict) -> Any:
    """``value`` with every list cut to its ``maxItems`` and every text to its ``maxLength``:
    a model that writes too much loses the excess instead of the whole answer."""
    for option in schema.get("anyOf", ()):
        if _json_type(value) == option.get("type"):
            return fit_to_schema(value, option)
    kind = schema.get("type")
    if kind == "array" and isinstance(value, list):
        limit = schema.get("maxItems")
        items = value[:limit] if isinstance(limit, int) else value
        item_schema = schema.get("items")
        return [fit_to_schema(v, item_schema) for v in items] if item_schema else items
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        return {
            k: fit_to_schema(v, properties[k])
            if k in properties
            else fit_to_schema(v, extra)
            if isinstance(extra, dict)
            else v
            for k, v in value.items()
        }
    if kind == "string" and isinstance(value, str) and isinstance(schema.get("maxLength"), int):
        return value[: schema["maxLength"]]
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return {str: "string", float: "number", list: "array", dict: "object"}.get(type(value), "null")


# -- HTTP -------------------------------------------------------------------------------------


class LLMError(Exception):
    """The LLM could not give a usable answer; ``str(exc)`` is a short human-readable reason.

    ``kind``: ``transport`` (timeouts, connection failures, server errors, no free slot),
    ``client`` (the server refused the request: authentication, unknown model, bad request),
    ``answer`` (no valid answer after the repairs) or ``skipped`` (not sent: stopped)."""

    def __init__(
        self,
        message: str,
        *,
        kind: str = "transport",
        latency_ms: float = 0.0,
        queue_ms: float = 0.0,
    ):
        super().__init__(message)
        self.kind = kind
        self.latency_ms = latency_ms
        self.queue_ms = queue_ms


class _Transient(Exception):
    """A failure worth retrying (timeout, connection error, 408/409/425/429/5xx)."""

    def __init__(self, message: str, *, latency_ms: float = 0.0, queue_ms: float = 0.0):
        super().__init__(message)
        self.latency_ms = latency_ms
        self.queue_ms = queue_ms


class _FormatRejected(LLMError):
    """A 400/422 answer to a request that carried a ``response_format``."""


@dataclass
class Completion:
    content: str
    usage: dict
    finish_reason: str | None
    latency_ms: float  # from sending the request to the end of the answer
    queue_ms: float  # waiting for a free concurrency slot


class _Client:
    """Chat completions over ``http.client`` with a real deadline per call (connect, wait and
    read included) and the process-wide concurrency slot (bounded wait) around it."""

    def __init__(self, config: LLMConfig):
        self.config = config
        self.url = f"{config.base_url}/chat/completions"
        self.semaphore = process_semaphore(config.max_concurrency)

    def chat(
        self,
        chat_messages: list[dict],
        *,
        schema: type[BaseModel] | None = None,
        response_format: str = "none",
        max_tokens: int | None = None,
        temperature: float = 0.0,
    ) -> Completion:
        """One completion; raises ``_Transient``, ``_FormatRejected`` or ``LLMError``."""
        body: dict[str, Any] = {
            "model": self.config.model,
            "messages": chat_messages,
            "temperature": temperature,
        }
        if max_tokens:
            body["max_tokens"] = max_tokens
        if response_format == "json_schema" and schema is not None:
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": re.sub(r"[^A-Za-z0-9_-]", "_", schema.__name__)[:64],
                    "schema": answer_schema(schema),
                    "strict": True,
                },
            }
        elif response_format == "json_object_schema" and schema is not None:
            body["response_format"] = {"type": "json_object", "schema": answer_schema(schema)}
        elif response_format != "none":
            body["response_format"] = {"type": "json_object"}
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")

        queued = time.perf_counter()
        if not self.semaphore.acquire(timeout=self.config.slot_wait):
            waited = _ms(queued)
            raise LLMError(f"no free LLM slot within {self.config.slot_wait:g} s", queue_ms=waited)
        queue_ms = _ms(queued)
        sent = time.perf_counter()
        try:
            status, raw = self._post(data, deadline=sent + self.config.timeout)
        except _Transient as exc:
            raise _Transient(str(exc), latency_ms=_ms(sent), queue_ms=queue_ms) from None
        finally:
            self.semaphore.release()
        latency_ms = _ms(sent)
        if status >= 400:
            message = _server_message(raw)
            detail = f"HTTP {status}{message}"
            # 400/422, or any status naming the format (llama-cpp-python answers 500)
            if "response_format" in body and (
                status in (400, 422) or _FORMAT_WORDS.search(message)
            ):
                raise _FormatRejected(
                    detail, kind="client", latency_ms=latency_ms, queue_ms=queue_ms
                )
            if status in (408, 409, 425, 429) or status >= 500:
                raise _Transient(detail, latency_ms=latency_ms, queue_ms=queue_ms)
            raise LLMError(detail, kind="client", latency_ms=latency_ms, queue_ms=queue_ms)
        try:
            payload = json.loads(raw)
            choice = payload["choices"][0]
            content = choice["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            raise _Transient(
                "malformed completion response", latency_ms=latency_ms, queue_ms=queue_ms
            ) from None
        usage = payload.get("usage") if isinstance(payload.get("usage"), dict) else {}
        finish = choice.get("finish_reason") if isinstance(choice, dict) else None
        return Completion(
            content=content if isinstance(content, str) else "",
            usage=usage,
            finish_reason=finish if isinstance(finish, str) else None,
            latency_ms=latency_ms,
            queue_ms=queue_ms,
        )

    def _post(self, data: bytes, *, deadline: float) -> tuple[int, bytes]:
        """``(status, body)`` of one POST, all of it before ``deadline`` (perf_counter)."""

        def left() -> float:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError
            return remaining

        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        try:
            connection, target = self._connection(left())
            try:
                connection.request("POST", target, body=data, headers=headers)
                sock = connection.sock  # kept: the connection lets go of it on "close"
                sock.settimeout(left())
                response = connection.getresponse()
                chunks, size = [], 0
                while True:
                    sock.settimeout(left())
                    chunk = response.read1(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > MAX_RESPONSE_BYTES:
                        raise _Transient("completion response too large")
                    chunks.append(chunk)
                return response.status, b"".join(chunks)
            finally:
                connection.close()
        except TimeoutError:
            raise _Transient("timeout") from None
        except ConnectionRefusedError:
            raise _Transient("connection refused") from None
        except (http.client.HTTPException, OSError) as exc:
            raise _Transient(f"connection error: {exc.__class__.__name__}") from None

    def _connection(self, timeout: float) -> tuple[http.client.HTTPConnection, str]:
        """A connection to the endpoint (through the environment's proxy, as urllib would)
        and the request target to send."""
        url = urlsplit(self.url)
        secure = url.scheme == "https"
        port = url.port or (443 if secure else 80)
        target = url.path + (f"?{url.query}" if url.query else "")
        proxy = urllib.request.getproxies().get(url.scheme)
        if proxy and url.hostname and urllib.request.proxy_bypass(url.hostname):
            proxy = None
        if not proxy:
            if secure:
                context = ssl.create_default_context()
                return http.client.HTTPSConnection(
                    url.hostname, port, timeout=timeout, context=context
                ), target
            return http.client.HTTPConnection(url.hostname, port, timeout=timeout), target
        via = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        proxy_headers = {}
        if via.username:
            token = f"{unquote(via.username)}:{unquote(via.password or '')}".encode()
            proxy_headers["Proxy-Authorization"] = f"Basic {base64.b64encode(token).decode()}"
        if secure:
            connection = http.client.HTTPSConnection(
                via.hostname,
                via.port or 8080,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
            connection.set_tunnel(url.hostname, port, headers=proxy_headers)
            return connection, target
        connection = http.client.HTTPConnection(via.hostname, via.port or 8080, timeout=timeout)
        return connection, self.url  # a plain-HTTP proxy takes the absolute URL


_FORMAT_WORDS = re.compile(r"response_format|json_schema|json_object", re.I)


def _server_message(raw: bytes) -> str:
    """A short excerpt of the server's error message (it names what it refused)."""
    try:
        payload = json.loads(raw)
        error = payload.get("error", payload) if isinstance(payload, dict) else payload
        message = error.get("message") if isinstance(error, dict) else error
    except ValueError:
        message = raw.decode("utf-8", "replace")
    message = " ".join(str(message or "").split())[:160]
    return f": {message}" if message else ""


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


# -- parsing and repair -----------------------------------------------------------------------


def parse_answer(content: str, schema: type[BaseModel]) -> BaseModel:
    """The answer validated by ``schema`` (a fenced block or text around the JSON object is
    tolerated; lists and texts are cut to the schema's limits first)."""
    text = content.strip()
    if text.startswith("```"):
        text = text.strip("`").removeprefix("json").strip()
    try:
        data = json.loads(text)
    except ValueError:
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end <= start:
            raise
        data = json.loads(text[start : end + 1])
    return schema.model_validate(fit_to_schema(data, answer_schema(schema)))


_parse = parse_answer  # the name the other engines knew


def error_text(exc: Exception, finish_reason: str | None = None) -> str:
    """What was wrong, for the repair request: each invalid field with the value given."""
    if isinstance(exc, ValidationError):
        parts = []
        for e in exc.errors()[:5]:
            where = ".".join(str(p) for p in e["loc"]) or "answer"
            if e["type"] == "missing":
                parts.append(f"{where}: {e['msg']}")
                continue
            given = json.dumps(e.get("input"), ensure_ascii=False, default=str)
            given = given if len(given) <= 80 else given[:77] + "..."
            parts.append(f"{where}: {e['msg']} (you gave {given})")
        text = "; ".join(parts)
    elif isinstance(exc, json.JSONDecodeError):
        text = f"not valid JSON ({exc.msg} at character {exc.pos})"
    else:
        text = str(exc)
    if finish_reason == "length":
        text = f"the answer was cut off at the length limit, write less; {text}"
    return text[:600]


_error_text = error_text


def _record(
    engine, label, attempt, outcome, timed, response_format, error=None, answer_valid=None
) -> LLMCall:
    """The call record of one attempt; ``timed`` is its completion or its exception."""
    usage = getattr(timed, "usage", None) or {}

    def tokens(name: str) -> int | None:
        value = usage.get(name)
        return int(value) if isinstance(value, (int, float)) else None

    return LLMCall(
        model=engine.config.model,
        prompt_version=engine.prompt_version,
        dimension=label,
        attempt=attempt,
        latency_ms=getattr(timed, "latency_ms", 0.0),
        queue_ms=getattr(timed, "queue_ms", 0.0),
        prompt_tokens=tokens("prompt_tokens"),
        completion_tokens=tokens("completion_tokens"),
        outcome=outcome,
        error=error,
        response_format=response_format,
        answer_valid=answer_valid,
    )


def structured_call(
    engine,
    *,
    label,
    system,
    user,
    schema,
    extra_check,
    calls,
    repair,
    max_tokens: int | None = None,
    stop: threading.Event | None = None,
):
    """One validated JSON answer from ``engine.client``: HTTP retries with backoff, repair
    requests for invalid output, the response format stepped down when the server rejects it,
    every attempt recorded in ``calls``. ``engine`` supplies ``client``, ``config``,
    ``prompt_version`` and ``backoff_s``; ``stop`` (set by another call) ends it before the next
    attempt. Raises :class:`LLMError`."""
    assert engine.client is not None
    attempts = 1 + engine.config.max_retries
    response_format = detected_format(engine.config, schema.__name__)
    stepped_down = False
    prompt_text, temperature = user, 0.0
    last, last_kind = "no answer", "transport"
    attempt = 0

    def record(outcome, timed, error=None, answer_valid=None):
        calls.append(
            _record(engine, label, attempt, outcome, timed, response_format, error, answer_valid)
        )

    while attempt < attempts:
        if stop is not None and stop.is_set():
            raise LLMError(f"{label}: skipped ({last})", kind="skipped")
        attempt += 1
        final = attempt == attempts
        chat = [{"role": "system", "content": system}, {"role": "user", "content": prompt_text}]
        try:
            completion = engine.client.chat(
                chat,
                schema=schema,
                response_format=response_format,
                max_tokens=max_tokens,
                temperature=temperature,
            )
        except _FormatRejected as exc:
            lower = step_down(response_format) if engine.config.response_format == "auto" else None
            if lower is None:
                record("error", exc, str(exc))
                raise LLMError(f"{label}: {exc}", kind="client") from None
            record(
                "retry", exc, f"{exc} (response_format {response_format} refused, trying {lower})"
            )
            response_format, stepped_down = lower, True
            attempt -= 1  # a format step is not one of the retries
            continue
        except _Transient as exc:
            last, last_kind = str(exc), "transport"
            record("error" if final else "retry", exc, last)
            if not final:
                time.sleep(engine.backoff_s * attempt)
            continue
        except LLMError as exc:
            record("error", exc, str(exc))
            raise LLMError(f"{label}: {exc}", kind=exc.kind) from None
        if stepped_down:
            remember_format(engine.config, response_format, schema.__name__)
            stepped_down = False
        try:
            answer = parse_answer(completion.content, schema)
            if extra_check is not None:
                extra_check(answer)
        except (ValidationError, ValueError) as exc:
            problem = error_text(exc, completion.finish_reason)
            last, last_kind = f"invalid answer ({problem[:160]})", "answer"
            record("error" if final else "retry", completion, last, answer_valid=False)
            prompt_text = f"{user}\n\n(correction {attempt})\n{repair.substitute(error=problem)}"
            temperature = REPAIR_TEMPERATURE
            continue
        record("ok", completion, answer_valid=True)
        return answer
    raise LLMError(f"{label}: {last} after {attempts} attempt(s)", kind=last_kind)
