"""Where the time of one request goes: call the WSGI application in process, no server, no
sockets, and print the mean time per request and the profile's top functions.

    python -m bench.profile [--rows 10000] [--requests 2000] [--sort tottime] PATH [PATH ...]
    python -m bench.profile --post '{"position_id": "…", "resume_content": "r {n}"}' PATH

Builds the benchmark dataset in a fresh var dir (like ``bench.http``), signs a real JWT and calls
``hrm2.wsgi.application`` directly, so the figures are the framework's and ours, not the HTTP
server's.
"""

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time


def call(application, path: str, token: str, body: bytes = b"") -> tuple[str, bytes]:
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "POST" if body else "GET",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
    }
    status = []
    body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
    return status[0], body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=2_000)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--post", help="POST this JSON body; {n} becomes a request counter")
    args = parser.parse_args()

    if "HRM2_VAR_DIR" not in os.environ:
        os.environ["HRM2_VAR_DIR"] = tempfile.mkdtemp(prefix="hrm2-profile-")
        os.environ["HRM2_LOG_LEVEL"] = "WARNING"
        os.environ["DJANGO_SETTINGS_MODULE"] = "hrm2.settings"
        hrm2 = os.path.join(os.path.dirname(sys.executable), "hrm2")
        subprocess.run([hrm2, "migrate"], check=True, stdout=subprocess.DEVNULL)
        user = ["--username", "bench", "--password", "x-Passw0rd!", "--role", "admin"]
        subprocess.run(
            [hrm2, "createuser", *user],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [sys.executable, "-m", "bench.dataset", "--rows", str(args.rows)], check=True
        )

    from django.contrib.auth import get_user_model

    from hrm2.api.auth import issue_access_token
    from hrm2.wsgi import application

    token = issue_access_token(get_user_model().objects.get(username="bench"))
    counter = iter(range(10**9))

    def request(path: str) -> tuple[str, bytes]:
        body = args.post.replace("{n}", str(next(counter))).encode() if args.post else b""
        return call(application, path, token, body)

    for path in args.paths:
        status, body = request(path)
        print(f"{path}: {status}, {len(body)} bytes")
        for _ in range(200):  # warm up caches and lazy imports
            request(path)
        started = time.perf_counter()
        for _ in range(args.requests):
            request(path)
        elapsed = time.perf_counter() - started
        print(f"  {elapsed / args.requests * 1000:.3f} ms per request in process (no profiler)")
        if args.no_profile:
            continue
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            request(path)
        profile.disable()
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
