"""Audit fixtures: documents recorded the way producers record them (``audit.services``)."""

import itertools

import pytest

from hrm2.audit import services
from hrm2.audit.models import AuditEvent

_counter = itertools.count(1)

POINTS = [
    services.PointSpec(
        key="required_skill:Python", name="Python", category="required_skill", max_score=20
    ),
    services.PointSpec(
        key="experience:≥3", name="≥3", category="experience", max_score=30, is_veto=True
    ),
    services.PointSpec(
        key="education:本科", name="本科", category="education", max_score=25, is_veto=True
    ),
]
VERDICTS = [
    services.MachineVerdict(
        point_key="required_skill:Python",
        result="pass",
        score=100,
        message="简历中找到「Python」",
        verdict="pass",
        extracted={"evidence": [{"start": 0, "end": 6, "quote": "Python"}]},
    ),
    services.MachineVerdict(
        point_key="experience:≥3", result="fail", score=40, message="工作经验不足", verdict="fail"
    ),
    services.MachineVerdict(
        point_key="education:本科", result="pass", score=100, message="学历满足", verdict="pass"
    ),
]


@pytest.fixture
def make_document(db):
    def _make(uploader, *, position_ref="position-1", checklist="checklist-1"):
        return services.record_machine_evaluation(
            kind="test",
            source=None,
            uploader=uploader,
            points=POINTS,
            results=VERDICTS,
            title=f"document {next(_counter)}",
            position_ref=position_ref,
            checklist=checklist,
        )

    return _make


@pytest.fixture
def events():
    """``events()`` → the number of audit events so far."""
    return lambda: AuditEvent.objects.count()
