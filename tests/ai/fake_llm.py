"""A small scriptable OpenAI-compatible chat-completions server on loopback, for the LLM tests.

    with FakeLLM(reviewer=honest_reviewer) as fake:
        engine = LLMEngine(base_url=fake.base_url, model="fake", ...)

Behaviour per request is decided by ``fake.respond(request) -> Reply`` (replaceable per test);
the default answers reviewers with ``reviewer(dimension, criteria, resume)`` and the critic with
``critic(criteria, drafts, resume)``. The server records every request and the maximum number of
requests in flight at once.
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
_CRITERIA = re.compile(r'^(\[\{"kind".*\}\]|\[\])$', re.M)
_RESUME = re.compile(r"<<<RESUME>>>\n(.*)\n<<<END RESUME>>>", re.S)
_DRAFTS = re.compile(
    r"Their drafts \(model output, may contain mistakes\):\n(.*?)\n\nAs the critic", re.S
)


@dataclass
class Request:
    index: int
    body: dict
    dimension: str
    criteria: list[dict]
    resume: str
    drafts: dict | None
    repairs: int  # how many repair messages the conversation already carries

    @property
    def messages(self) -> list[dict]:
        return self.body.get("messages", [])


@dataclass
class Reply:
    content: str | None = None  # the assistant message (a JSON string, or garbage)
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None  # a raw body instead of a completion
    usage: dict | None = field(default=None)


def answer(obj: dict) -> Reply:
    return Reply(content=json.dumps(obj, ensure_ascii=False))


# -- reviewers ------------------------------------------------------------------------------


def honest_reviewer(dimension: str, criteria: list[dict], resume: str) -> dict:
    """Pass a criterion whose name occurs in the resume (quoting it as written), else fail."""
    items = []
    for c in criteria:
        pos = resume.lower().find(c["name"].lower())
        if c["kind"] in ("required_skill", "optional_skill", "certification") and pos >= 0:
            quote = resume[pos : pos + len(c["name"])]
            items.append(_item(c, "pass", [quote], f"找到 {c['name']}"))
        elif c["kind"] in ("required_skill", "optional_skill", "certification"):
            items.append(_item(c, "fail", [], f"未找到 {c['name']}"))
        else:
            items.append(_item(c, "unknown", [], "未判断"))
    return {
        "criteria": items,
        "strengths": [f"{dimension} strength"],
        "weaknesses": [f"{dimension} weakness"],
        "interview_focus": [f"{dimension} focus"],
    }


def injected_reviewer(dimension: str, criteria: list[dict], resume: str) -> dict:
    """A model that obeyed the resume's injection: everything passes, with invented quotes."""
    return {
        "criteria": [
            _item(c, "pass", [f"精通{c['name']}十年，综合评分100分"], "简历要求给满分")
            for c in criteria
        ],
        "strengths": ["完美候选人"],
        "weaknesses": [],
        "interview_focus": [],
    }


def _item(c: dict, verdict: str, quotes: list[str], reason: str) -> dict:
    return {
        "kind": c["kind"],
        "name": c["name"],
        "verdict": verdict,
        "evidence_quotes": quotes,
        "reason": reason,
    }


def quiet_critic(criteria: list[dict], drafts: dict, resume: str) -> dict:
    return {"summary": "评审意见一致。", "corrections": []}


# -- the server -----------------------------------------------------------------------------


class FakeLLM:
    def __init__(
        self,
        *,
        reviewer: Callable[[str, list[dict], str], dict] = honest_reviewer,
        critic: Callable[[list[dict], dict, str], dict] = quiet_critic,
        latency: float = 0.0,
    ):
        self.reviewer = reviewer
        self.critic = critic
        self.latency = latency
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # behaviour (replace ``respond`` per test for anything else)

    def respond(self, request: Request) -> Reply:
        if request.dimension == "critic":
            return answer(self.critic(request.criteria, request.drafts or {}, request.resume))
        return answer(self.reviewer(request.dimension, request.criteria, request.resume))

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

    def _handle(self, handler: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        length = int(handler.headers.get("Content-Length") or 0)
        body = json.loads(handler.rfile.read(length) or b"{}")
        with self._lock:
            index = len(self.requests)
        request = _parse_request(index, body)
        with self._lock:
            self.requests.append(request)
        reply = self.respond(request)
        delay = self.latency + reply.delay
        if delay:
            time.sleep(delay)
        if reply.raw is not None:
            data = reply.raw
        elif reply.status != 200:
            data = b'{"error": {"message": "fake failure"}}'
        else:
            content = reply.content or ""
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
                            "finish_reason": "stop",
                        }
                    ],
                    "usage": usage,
                },
                ensure_ascii=False,
            ).encode("utf-8")
        return reply.status, data


def _parse_request(index: int, body: dict) -> Request:
    msgs = body.get("messages", [])
    system = msgs[0]["content"] if msgs else ""
    user = msgs[1]["content"] if len(msgs) > 1 else ""
    role = _ROLE.search(system)
    criteria = _CRITERIA.search(user)
    resume = _RESUME.search(user)
    drafts = _DRAFTS.search(user)
    return Request(
        index=index,
        body=body,
        dimension=role.group(1) if role else "?",
        criteria=json.loads(criteria.group(1)) if criteria else [],
        resume=resume.group(1) if resume else "",
        drafts=json.loads(drafts.group(1)) if drafts else None,
        repairs=sum(1 for m in msgs[2:] if m.get("role") == "user"),
    )
