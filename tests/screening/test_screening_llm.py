"""Screening tasks with the LLM engine, against the loopback OpenAI-compatible test server."""

import pytest

from hrm2.ai import screening as engines
from hrm2.ai.llm import LLMEngine
from tests.ai.fake_llm import FakeLLM
from tests.conftest import assert_success
from tests.screening.test_screening import CRITERIA, STRONG, WEAK

pytestmark = pytest.mark.django_db


@pytest.fixture
def use_llm(monkeypatch):
    def _install(base_url: str):
        engine = LLMEngine(
            base_url=base_url,
            model="fake",
            api_key="",
            timeout=5,
            max_retries=1,
            max_concurrency=4,
            backoff_s=0.01,
        )
        monkeypatch.setitem(engines.ENGINES.instances, "llm", engine)
        return engine

    return _install


def _screen(hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = assert_success(
            hr.post(
                "/resume-screening/screening/",
                {
                    "position": CRITERIA,
                    "engine": "llm",
                    "resumes": [{"resume_content": STRONG}, {"resume_content": WEAK}],
                },
            ),
            202,
        )
    return assert_success(hr.get(f"/resume-screening/tasks/{task['task_id']}/status/"))


def test_llm_engine_screens_concurrently_and_records_calls(
    hr, use_llm, django_capture_on_commit_callbacks
):
    with FakeLLM() as fake:
        use_llm(fake.base_url)
        status = _screen(hr, django_capture_on_commit_callbacks)
    assert status["status"] == "completed" and status["succeeded"] == 2
    assert {r["engine"] for r in status["results"]} == {"llm"}
    # per resume: one call per criterion (2 required, 1 optional, experience, education)
    # and one for the summary
    assert len(fake.requests) == 12
    detail = assert_success(
        hr.get(f"/resume-screening/reports/{status['results'][0]['resume_id']}/detail/")
    )
    assert len(detail["report"]["llm_calls"]) == 6
    assert detail["report"]["llm_coverage"]["judged_by_llm"] == 5
    assert {item["judged_by"] for item in detail["report"]["criteria_results"]} == {"llm"}
    for item in detail["report"]["criteria_results"]:
        for ev in item["evidence"]:
            assert detail["content"][ev["start"] : ev["end"]] == ev["quote"]


def test_llm_down_falls_back_visibly(hr, use_llm, django_capture_on_commit_callbacks):
    use_llm("http://127.0.0.1:9")  # discard port: connection refused
    status = _screen(hr, django_capture_on_commit_callbacks)
    assert status["status"] == "completed" and status["succeeded"] == 2
    assert {r["engine"] for r in status["results"]} == {"embedded"}
    assert all(r["fallback_reason"] for r in status["results"])
