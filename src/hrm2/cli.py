"""The ``hrm2`` command: run, scale out and administer HRM2.

``serve`` runs everything on one machine (migrate, then a web server and a worker as supervised
children); ``web`` and ``worker`` run one role each, for scaling out across machines. All
configuration comes from environment variables (see the README).
"""

import argparse
import ctypes
import getpass
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
SHUTDOWN_GRACE_SECONDS = 15
PR_SET_PDEATHSIG = 1


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")
    import django

    django.setup()


def _die_with_parent() -> None:
    """In a child: get SIGTERM if the supervising ``hrm2 serve`` dies, even by SIGKILL."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


# --- administration ---------------------------------------------------------------------------


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if args.verbose else 0)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    from hrm2.checks import configuration_problems

    call_command("check", deploy=args.deploy)
    problems = configuration_problems(deploy=args.deploy)
    for problem in problems:
        print(f"ERROR: {problem}", file=sys.stderr)
    if problems:
        return 1
    if args.deploy:
        print("Deployment configuration OK")
    else:
        print("Configuration OK")
    return 0


def parse_age(text: str) -> timedelta:
    """``180d``, ``26w``, ``12h`` or a plain number of days."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7, "h": 1 / 24}
    unit = text[-1:] if text[-1:] in units else "d"
    number = text[:-1] if text[-1:] in units else text
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"not an age: {text!r} (use e.g. 180d, 26w or 12h)") from None
    if not 0 < value < 1_000_000:  # also refuses nan and inf
        raise ValueError(f"the age must be positive and finite: {text!r}")
    return timedelta(days=value * units[unit])


def cmd_purge(args: argparse.Namespace) -> int:
    try:
        older_than = parse_age(args.older_than)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _setup_django()
    from hrm2.privacy import purge

    outcome = purge(older_than=older_than, dry_run=args.dry_run)
    counts = ", ".join(f"{kind} {n}" for kind, n in outcome["deleted"].items() if n)
    verb = "would erase" if args.dry_run else "erased"
    print(
        f"{verb} {outcome['resumes']} resume(s) created more than {args.older_than} ago"
        + (f": {counts}" if counts else "")
    )
    return 0


def cmd_createuser(args: argparse.Namespace) -> int:
    password = args.password
    if password == "-":  # noqa: S105 (read the password from stdin)
        password = sys.stdin.readline().rstrip("\n")
    elif password is None:
        password = getpass.getpass("Password: ")
    _setup_django()
    from hrm2.accounts.services import create_user
    from hrm2.api.errors import ApiError

    try:
        user = create_user(
            username=args.username,
            password=password,
            role=args.role,
            email=args.email or "",
            name=args.name or "",
        )
    except ApiError as exc:
        extra = f": {exc.detail}" if exc.detail != exc.message else ""
        print(f"error: {exc.message}{extra}", file=sys.stderr)
        return 1
    print(f"created user {user.username} ({args.role})")
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["hrm2 manage", *args.rest])
    return 0


# --- processes --------------------------------------------------------------------------------


def web_argv(host: str, port: int, workers: int, threads: int) -> list[str]:
    """Granian (a Rust HTTP server) running the WSGI app: it parses HTTP and streams bodies
    outside the GIL, so each Python thread spends its time on HRM2 itself (bench/README.md).
    The access log is HRM2's own (hrm2.access), with the request id and no query string."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--http",
        "1",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--no-access-log",
        "--log-level",
        os.environ.get("HRM2_LOG_LEVEL", "INFO").lower(),
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        str(SHUTDOWN_GRACE_SECONDS - 5),
        "hrm2.wsgi:application",
    ]


def worker_argv(concurrency: int, extra: list[str]) -> list[str]:
    name = f"hrm2-{uuid.uuid4().hex[:8]}@%h"
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "hrm2",
        "worker",
        "--hostname",
        name,
        "--concurrency",
        str(concurrency),
        "--loglevel",
        os.environ.get("HRM2_LOG_LEVEL", "INFO"),
        "--queues",
        "hrm2",
        "--without-gossip",
        "--without-mingle",
        *extra,
    ]


def _check_settings() -> None:
    """Fail early on a bad configuration and compile the messages once, without loading the
    apps: every web worker loads them itself, and this would only delay its start."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrm2.settings")
    from django.conf import settings

    from hrm2.i18n import compile_messages

    settings.INSTALLED_APPS  # noqa: B018 (evaluates the settings module)
    compile_messages()


def cmd_web(args: argparse.Namespace) -> int:
    _check_settings()
    argv = web_argv(args.host, args.port, args.workers, args.threads)
    os.execv(argv[0], argv)
    return 0  # pragma: no cover


def cmd_worker(args: argparse.Namespace) -> int:
    _setup_django()
    extra = args.celery_args[1:] if args.celery_args[:1] == ["--"] else args.celery_args
    argv = worker_argv(args.concurrency, extra)
    os.execv(argv[0], argv)
    return 0  # pragma: no cover


class Supervisor:
    """Run children, restart one that dies unexpectedly, stop all on SIGINT/SIGTERM."""

    def __init__(self, commands: dict[str, list[str]]) -> None:
        self.commands = commands
        self.children: dict[str, subprocess.Popen] = {}
        self.restarts: dict[str, list[float]] = {name: [] for name in commands}
        self.stopping = False

    def _start(self, name: str) -> None:
        self.children[name] = subprocess.Popen(self.commands[name], preexec_fn=_die_with_parent)

    def _on_signal(self, signum, frame) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self._on_signal)
        signal.signal(signal.SIGTERM, self._on_signal)
        for name in self.commands:
            self._start(name)
        exit_code = 0
        while not self.stopping:
            time.sleep(0.5)
            for name, child in list(self.children.items()):
                if self.stopping or child.poll() is None:
                    continue
                now = time.monotonic()
                recent = [t for t in self.restarts[name] if now - t < 60]
                if len(recent) >= 5:
                    print(
                        f"hrm2: {name} keeps exiting (code {child.returncode}); stopping",
                        file=sys.stderr,
                    )
                    self.stopping, exit_code = True, 1
                    break
                print(
                    f"hrm2: {name} exited with code {child.returncode}; restarting", file=sys.stderr
                )
                self.restarts[name] = [*recent, now]
                self._start(name)
        self.stop()
        return exit_code

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + SHUTDOWN_GRACE_SECONDS
        for child in self.children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()


def cmd_serve(args: argparse.Namespace) -> int:
    cmd_migrate(argparse.Namespace(verbose=False))
    from django.conf import settings

    print(
        f"HRM2 listening on http://{args.host}:{args.port}  "
        f"(database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, "
        f"data: {settings.VAR_DIR}); Ctrl-C stops it.",
        flush=True,
    )
    return Supervisor(
        {
            "web": web_argv(args.host, args.port, args.workers, args.threads),
            "worker": worker_argv(args.concurrency, []),
        }
    ).run()


# --- argument parsing -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hrm2", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def add_web_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", default=os.environ.get("HRM2_HOST", DEFAULT_HOST))
        p.add_argument("--port", type=int, default=int(os.environ.get("PORT", DEFAULT_PORT)))
        p.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("HRM2_WEB_WORKERS", 2)),
            help="web server processes",
        )
        p.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("HRM2_WEB_THREADS", 2)),
            help="threads per web process",
        )

    def add_worker_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--concurrency",
            type=int,
            default=int(os.environ.get("HRM2_WORKER_CONCURRENCY", 2)),
            help="job processes per worker",
        )

    serve = sub.add_parser("serve", help="migrate, then run web server and worker")
    add_web_options(serve)
    add_worker_options(serve)
    serve.set_defaults(func=cmd_serve)

    web = sub.add_parser("web", help="run only the web server")
    add_web_options(web)
    web.set_defaults(func=cmd_web)

    worker = sub.add_parser("worker", help="run only a background worker")
    add_worker_options(worker)
    worker.add_argument(
        "celery_args", nargs=argparse.REMAINDER, help="extra options passed to the Celery worker"
    )
    worker.set_defaults(func=cmd_worker)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("-v", "--verbose", action="store_true")
    migrate.set_defaults(func=cmd_migrate)

    check = sub.add_parser("check", help="check the configuration")
    check.add_argument(
        "--deploy",
        action="store_true",
        help="judge the configuration as a production deployment (also HTTPS and CORS)",
    )
    check.set_defaults(func=cmd_check)

    purge = sub.add_parser(
        "purge", help="erase resumes (and all data derived from them) past a retention period"
    )
    purge.add_argument(
        "--older-than", required=True, help="age such as 180d, 26w or 12h (days by default)"
    )
    purge.add_argument("--dry-run", action="store_true", help="only count what would be erased")
    purge.set_defaults(func=cmd_purge)

    createuser = sub.add_parser("createuser", help="create a user non-interactively")
    createuser.add_argument("--username", required=True)
    createuser.add_argument("--password", help="the password, or - to read it from stdin")
    createuser.add_argument(
        "--role", required=True, choices=["admin", "hr", "interviewer", "reviewer"]
    )
    createuser.add_argument("--email")
    createuser.add_argument("--name", help="the name people see, e.g. 王芳 (default: the username)")
    createuser.set_defaults(func=cmd_createuser)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
