"""HTTP load generation: wrk when installed (Debian package), else a built-in asyncio client.

Both return the same figures: requests/s, p50/p99 latency (ms), errors (non-2xx, socket errors).
POST bodies are made unique per request (``{n}`` in the body template is replaced by a counter).
"""

import asyncio
import json
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

WRK_SCRIPT = r"""
local counter = 0
local tid = 0
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  tid = tonumber(wrk.thread:get("tid")) or 0
end
function request()
  counter = counter + 1
  if BODY ~= nil then
    local body = string.gsub(BODY, "{n}", tid .. "-" .. counter)
    return wrk.format(METHOD, PATH, nil, body)
  end
  return wrk.format(METHOD, PATH)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


@dataclass
class LoadResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    tool: str


def percentile(ordered: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted samples lie (0 when there are none)."""
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] if ordered else 0


def tool_name() -> str:
    return "wrk" if shutil.which("wrk") else "asyncio"


def run(
    url: str,
    *,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str],
    connections: int,
    duration: float,
) -> LoadResult:
    if body is not None:  # unique across runs too (a warm-up and its run share nothing)
        body = body.replace("{n}", f"{uuid.uuid4().hex[:8]}-{{n}}")
    if shutil.which("wrk"):
        return _run_wrk(url, method, body, headers, connections, duration)
    return asyncio.run(_run_asyncio(url, method, body, headers, connections, duration))


def _lua_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid Lua string literal


def _run_wrk(url, method, body, headers, connections, duration) -> LoadResult:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    script = (
        f"METHOD = {_lua_string(method)}\nPATH = {_lua_string(path)}\n"
        f"BODY = {_lua_string(body) if body is not None else 'nil'}\n" + WRK_SCRIPT
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    argv = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(duration))}s",
        "--latency",
        "-s",
        handle.name,
        f"{parts.scheme}://{parts.netloc}",
    ]
    for name, value in headers.items():
        argv += ["-H", f"{name}: {value}"]
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    figures = json.loads(line.removeprefix("RESULT "))
    return LoadResult(
        requests_per_s=figures["requests"] / (figures["duration_us"] / 1e6),
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=figures["errors"],
        requests=figures["requests"],
        tool="wrk",
    )


async def _run_asyncio(url, method, body, headers, connections, duration) -> LoadResult:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = 0
    counter = 0
    deadline = time.perf_counter() + duration

    def request_bytes() -> bytes:
        nonlocal counter
        counter += 1
        payload = body.replace("{n}", str(counter)).encode() if body is not None else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {parts.netloc}",
            f"Content-Length: {len(payload)}",
            "Content-Type: application/json",
            *(f"{k}: {v}" for k, v in headers.items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload

    async def connection() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(request_bytes())
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = next(
                    (
                        int(line.split(b":", 1)[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                latencies.append(time.perf_counter() - started)
                if status >= 300:
                    errors += 1
        except (ConnectionError, asyncio.IncompleteReadError):
            errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    elapsed = time.perf_counter() - started
    latencies_ms = sorted(latency * 1000 for latency in latencies)
    return LoadResult(
        len(latencies) / elapsed,
        percentile(latencies_ms, 0.5),
        percentile(latencies_ms, 0.99),
        errors,
        len(latencies),
        "asyncio",
    )
