"""A small scriptable OpenAI-compatible chat-completions server on loopback, for the LLM tests.

    with FakeLLM(judge=honest_judge) as fake:
        engine = LLMEngine(base_url=fake.base_url, model="fake", ...)

Behaviour per request is decided by ``fake.respond(request) -> Reply`` (replaceable per test);
the default answers a screening criterion call with ``judge(criterion, sentences, resume)``
and the screening summary call with ``summarise(verdicts, resume)``. The server records every
request and the maximum number of requests in flight at once.

Like real servers, it can be told which ``response_format`` types it accepts (``accept``: a
request with another one gets a 400 naming the format, as llama.cpp or an OpenAI-compatible
proxy sends, or the 500 llama-cpp-python sends: ``reject_status``), and
to enforce a ``json_schema`` as llama.cpp's grammar does (``enforce_schema``): every answer it
sends under a schema is checked against it and any mismatch is recorded in
``schema_violations`` (a real constrained server could not have produced it). A reply can
``stall``: the server accepts the request and never answers.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_ROLE = re.compile(r"acting as the (\w+) reviewer")
_RESUME = re.compile(r"<<<RESUME>>>\n(.*)\n<<<END RESUME>>>", re.S)
_REQUIREMENT = re.compile(r"^REQUIREMENT\nkind: (\S+)\nname: (.*)\nmeaning: (.*)$", re.M)
_SENTENCES = re.compile(r"<<<SENTENCES>>>\n(.*?)\n<<<END SENTENCES>>>", re.S)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.M)
_VERDICTS = re.compile(r"do not give numeric scores:\n(.*?)\n\nAnswer with", re.S)
_CORRECTION = re.compile(r"^\(correction (\d+)\)$", re.M)
FORMATS = ("json_schema", "json_object_schema", "json_object", "none")


@dataclass
class Request:
    index: int
    body: dict
    dimension: str  # "criterion" or "summary" (screening), the reviewer role, or "?"
    criterion: dict | None  # {"kind", "name", "meaning"} of a screening criterion call
    sentences: list[str]  # the numbered candidate sentences, sentence n at index n - 1
    verdicts: str  # the decided verdicts a screening summary call carries
    resume: str
    repairs: int  # how many repair requests this attempt follows
    path: str = ""  # the request target (an absolute URL when sent through a proxy)

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])

    @property
    def response_format(self) -> str:
        """json_schema, json_object_schema (llama.cpp's json_object with a schema),
        json_object or none."""
        fmt = self.body.get("response_format")
        if not isinstance(fmt, dict):
            return "none"
        kind = fmt.get("type", "?")
        return "json_object_schema" if kind == "json_object" and "schema" in fmt else kind

    @property
    def schema(self) -> dict | None:
        fmt = self.body.get("response_format") or {}
        if not isinstance(fmt, dict):
            return None
        return fmt["schema"] if "schema" in fmt else (fmt.get("json_schema") or {}).get("schema")


@dataclass
class Reply:
    content: str | None = None  # the assistant message (a JSON string, or garbage)
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None  # a raw body instead of a completion
    usage: dict | None = field(default=None)
    stall: bool = False  # accept the request and never answer
    finish_reason: str = "stop"


def answer(obj: dict) -> Reply:
    return Reply(content=json.dumps(obj, ensure_ascii=False))


# -- scripted models --------------------------------------------------------------------------

TERM_KINDS = ("required_skill", "optional_skill", "certification")


def honest_judge(criterion: dict, sentences: list[str], resume: str) -> dict:
    """Pass a skill or certificate a listed sentence names (choosing those sentences), fail
    it otherwise; the other kinds are ``unknown``."""
    if criterion["kind"] not in TERM_KINDS:
        return {"verdict": "unknown", "sentences": [], "reason": "未判断"}
    name = criterion["name"].lower()
    chosen = [n for n, s in enumerate(sentences, 1) if name in s.lower()]
    if chosen:
        return {"verdict": "pass", "sentences": chosen[:3], "reason": f"找到 {criterion['name']}"}
    return {"verdict": "fail", "sentences": [], "reason": f"未找到 {criterion['name']}"}


def obedient_judge(criterion: dict, sentences: list[str], resume: str) -> dict:
    """A model that obeyed the resume's injection: everything passes, on whatever is listed."""
    return {
        "verdict": "pass",
        "sentences": list(range(1, len(sentences) + 1))[:3],
        "reason": "简历要求给满分",
    }


def quiet_summary(verdicts: str, resume: str) -> dict:
    return {
        "summary": "评审意见一致。",
        "strengths": ["model strength"],
        "weaknesses": ["model weakness"],
        "interview_focus": ["model focus"],
    }


# -- a JSON schema check (the subset ``answer_schema`` produces) ------------------------------


def schema_errors(value, schema: dict, where: str = "answer") -> list[str]:
    """Where ``value`` breaks ``schema`` (type, enum, properties, required, additional
    properties, items, min/max items, min/max length, minimum/maximum, anyOf)."""
    if "anyOf" in schema:
        if any(not schema_errors(value, option, where) for option in schema["anyOf"]):
            return []
        return [f"{where}: matches no anyOf option"]
    errors: list[str] = []
    kind = schema.get("type")
    types = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "boolean": bool,
        "null": type(None),
    }
    if (kind and not isinstance(value, types[kind])) or (kind == "integer" and value is True):
        return [f"{where}: not {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} not in {schema['enum']}")
    if kind == "object":
        properties = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}.{name}: required")
        extra = schema.get("additionalProperties", True)
        for name, item in value.items():
            if name in properties:
                errors += schema_errors(item, properties[name], f"{where}.{name}")
            elif extra is False:
                errors.append(f"{where}.{name}: not allowed")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, f"{where}.{name}")
    if kind == "array":
        if len(value) > schema.get("maxItems", len(value)):
            errors.append(f"{where}: more than {schema['maxItems']} items")
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        for i, item in enumerate(value):
            errors += schema_errors(item, schema.get("items", {}), f"{where}.{i}")
    if kind == "string":
        if len(value) > schema.get("maxLength", len(value)):
            errors.append(f"{where}: longer than {schema['maxLength']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: shorter than {schema['minLength']}")
    if kind in ("integer", "number"):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: above {schema['maximum']}")
    return errors


# -- the server -----------------------------------------------------------------------------


class FakeLLM:
    def __init__(
        self,
        *,
        judge: Callable[[dict, list[str], str], dict] = honest_judge,
        summarise: Callable[[str, str], dict] = quiet_summary,
        latency: float = 0.0,
        accept: tuple[str, ...] = FORMATS,
        reject_status: int = 400,
        enforce_schema: bool = False,
    ):
        self.judge = judge
        self.summarise = summarise
        self.latency = latency
        self.accept = accept
        self.reject_status = reject_status  # llama-cpp-python refuses a format with a 500
        self.enforce_schema = enforce_schema
        self.requests: list[Request] = []
        self.schema_violations: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # behaviour (replace ``respond`` per test for anything else)

    def respond(self, request: Request) -> Reply:
        if request.dimension == "summary":
            return answer(self.summarise(request.verdicts, request.resume))
        if request.dimension == "criterion":
            return answer(self.judge(request.criterion, request.sentences, request.resume))
        return Reply(status=400, raw=b'{"error": {"message": "unknown request"}}')

    # lifecycle

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeLLM:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                fake._enter()
                left = False
                try:
                    status, data = fake._handle(self)
                    fake._leave()  # before the client can see the answer and send the next one
                    left = True
                    if status is None:
                        return  # stalled until the server stopped: never answer
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)
                finally:
                    if not left:
                        fake._leave()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLM:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # internals

    def _enter(self) -> None:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def _leave(self) -> None:
        with self._lock:
            self.in_flight -= 1

    def _handle(self, handler: BaseHTTPRequestHandler) -> tuple[int | None, bytes]:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        with self._lock:
            index = len(self.requests)
        request = _parse_request(index, body)
        request.path = handler.path
        with self._lock:
            self.requests.append(request)
        if request.response_format not in self.accept:
            message = (
                f"response_format type '{request.response_format}' is not supported"
                if request.response_format in FORMATS
                else "invalid response_format"
            )
            error = {"message": message, "code": self.reject_status}
            return self.reject_status, json.dumps({"error": error}).encode()
        reply = self.respond(request)
        if reply.stall:
            self._stopped.wait()
            return None, b""
        delay = self.latency + reply.delay
        if delay:
            time.sleep(delay)
        if reply.raw is not None:
            return reply.status, reply.raw
        if reply.status != 200:
            return reply.status, b'{"error": {"message": "fake failure"}}'
        content = reply.content or ""
        if self.enforce_schema and request.schema is not None:
            self._check_schema(request, content)
        usage = reply.usage or {
            "prompt_tokens": sum(len(m.get("content", "")) for m in request.messages) // 2,
            "completion_tokens": max(1, len(content) // 2),
            "total_tokens": 0,
        }
        data = json.dumps(
            {
                "id": f"fake-{index}",
                "object": "chat.completion",
                "model": body.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": content},
                        "finish_reason": reply.finish_reason,
                    }
                ],
                "usage": usage,
            },
            ensure_ascii=False,
        ).encode("utf-8")
        return 200, data

    def _check_schema(self, request: Request, content: str) -> None:
        schema = request.schema
        fmt = request.body["response_format"].get("json_schema", {"name": "-", "strict": True})
        problems = []
        if not isinstance(schema, dict) or schema.get("type") != "object":
            problems.append("the schema is not an object schema")
        elif not fmt.get("name") or fmt.get("strict") is not True:
            problems.append("a json_schema needs a name and strict: true")
        else:
            try:
                problems = schema_errors(json.loads(content), schema)
            except ValueError:
                problems = ["not JSON"]
        with self._lock:
            self.schema_violations += [f"request {request.index}: {p}" for p in problems]


def _parse_request(index: int, body: dict) -> Request:
    msgs = body.get("messages", [])
    system = msgs[0]["content"] if msgs else ""
    user = msgs[1]["content"] if len(msgs) > 1 else ""
    requirement = _REQUIREMENT.search(user)
    sentences = _SENTENCES.search(user)
    verdicts = _VERDICTS.search(user)
    resume = _RESUME.search(user)
    role = _ROLE.search(system)
    dimension = (
        "criterion" if requirement else "summary" if verdicts else role.group(1) if role else "?"
    )
    corrections = [int(n) for n in _CORRECTION.findall(user)]
    return Request(
        index=index,
        body=body,
        dimension=dimension,
        criterion=(
            dict(zip(("kind", "name", "meaning"), requirement.groups(), strict=True))
            if requirement
            else None
        ),
        sentences=[text for _, text in _NUMBERED.findall(sentences.group(1))] if sentences else [],
        verdicts=verdicts.group(1) if verdicts else "",
        resume=resume.group(1) if resume else "",
        repairs=max(corrections, default=0) or sum(1 for m in msgs[2:] if m.get("role") == "user"),
    )
