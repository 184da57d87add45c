"""Loading the labelled sets and turning a screening result into comparable labels."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SETS = ("dev", "dev2", "blind")

# label key in the set files → criterion kind in a screening result
LIST_KINDS = {
    "required_skills": "required_skill",
    "optional_skills": "optional_skill",
    "certifications": "certification",
}
SINGLE_KINDS = {
    "min_experience": "experience",
    "education": "education",
    "projects": "projects",
    "team_lead": "team_lead",
}


def load(name: str) -> list[dict]:
    """Every position file of one set, sorted by file name."""
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((ROOT / name).glob("*.json"))
    ]


def received(resume: dict) -> date:
    return date.fromisoformat(resume.get("received") or "2026-06-01")


def expected_labels(resume: dict) -> dict[str, str]:
    labels = {}
    for key, value in resume["labels"].items():
        if key in LIST_KINDS:
            for name, verdict in value.items():
                labels[f"{LIST_KINDS[key]}:{name}"] = verdict
        elif key in SINGLE_KINDS:
            labels[SINGLE_KINDS[key]] = value
    return labels


def _by_key(result: dict, field: str) -> dict[str, str]:
    """``kind:name`` for list criteria, the kind alone for the single ones → ``field``."""
    out = {}
    for item in result["criteria_results"]:
        kind = item["criterion"]["kind"]
        key = kind if kind in SINGLE_KINDS.values() else f"{kind}:{item['criterion']['name']}"
        out[key] = item.get(field, "")
    return out


def predicted_labels(result: dict) -> dict[str, str]:
    return _by_key(result, "verdict")


def predicted_reasons(result: dict) -> dict[str, str]:
    return _by_key(result, "reason")
