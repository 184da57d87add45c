"""The review page (console:review_detail): points beside the resume, evidence of the point in
focus highlighted, unknown first, pass / fail with a reason, pass-all-remaining with a
confirmation step, and the history in words (zh and en)."""

import re
from html.parser import HTMLParser

import pytest

from hrm2.audit import services
from hrm2.audit.models import AuditEvent, AuditStatus, Document, EvaluationResult
from hrm2.resumes.models import Resume

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def html(response) -> str:
    return response.content.decode()


class _Text(HTMLParser):
    """The text a person sees: no tags, no attributes, no script or style."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def _document(resume) -> Document:
    return Document.objects.get(title__startswith=resume.candidate_name)


def _results(document) -> list[EvaluationResult]:
    return list(EvaluationResult.objects.filter(document=document).order_by("point__order", "id"))


def _url(document, suffix="") -> str:
    return f"/console/reviews/{document.pk}/{suffix}"


def _unknown_first_document(user) -> Document:
    """Four points in checklist order: pass, fail, unknown, partial."""
    points = [
        services.PointSpec(key=k, name=n, category="skill", max_score=10)
        for k, n in (("a", "Alpha"), ("b", "Bravo"), ("c", "Charlie"), ("d", "Delta"))
    ]
    verdicts = [
        services.MachineVerdict(point_key="a", result="pass", score=100, verdict="pass"),
        services.MachineVerdict(point_key="b", result="fail", score=0, verdict="fail"),
        services.MachineVerdict(
            point_key="c", result="fail", score=0, verdict="unknown", message="看不出来"
        ),
        services.MachineVerdict(point_key="d", result="pass", score=60, verdict="partial"),
    ]
    return services.record_machine_evaluation(
        kind="test", source=None, uploader=user, points=points, results=verdicts, title="四项"
    )


def test_resume_is_shown_with_the_evidence_of_the_point_in_focus(hr_console, screened, resumes):
    alice = resumes[0]
    # Text appended after screening keeps the evidence offsets valid; it must come out escaped.
    Resume.objects.filter(pk=alice.pk).update(content=alice.content + "<script>alert(1)</script>")
    document = _document(alice)
    cited = [r for r in _results(document) if r.extracted_results.get("evidence")]
    assert len(cited) >= 2
    for result in cited[:2]:
        evidence = result.extracted_results["evidence"][0]
        page = html(hr_console.get(_url(document) + f"?focus={result.pk}"))
        assert 'id="review-resume"' in page
        marks = re.findall(
            r'<mark data-points="([\d ]+)"( class="focus")?[^>]*>([^<]*)</mark>', page
        )
        focused = [text for ids, focus, text in marks if focus]
        assert evidence["quote"] in focused
        assert all(str(result.pk) in ids.split() for ids, focus, _t in marks if focus)
        assert any(not focus for _ids, focus, _t in marks)  # other points' evidence: not in focus
        assert 'id="focus-evidence"' in page
        assert f'class="point focus" id="point-{result.pk}"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_unknown_points_come_first_then_failed(hr_console):
    document = _unknown_first_document(hr_console.user)
    page = html(hr_console.get(_url(document)))
    names = re.findall(r'class="point-name"[^>]*>([^<]+)<', page)
    assert names == ["Charlie", "Bravo", "Alpha", "Delta"]
    text = visible_text(page)
    for word in ("无法判断", "不符合", "部分符合"):
        assert word in text
    first = _results(document)[2]
    assert f'class="point focus" id="point-{first.pk}"' in page  # the unknown one is in focus


def test_fail_without_reason_is_refused_and_nothing_is_saved(hr_console, screened, resumes):
    document = _document(resumes[0])
    result = _results(document)[0]
    before = AuditEvent.objects.count()
    for extra in ({}, HTMX):
        response = hr_console.post(
            _url(document, f"results/{result.pk}/"),
            {"result": "fail", "message": "  ", "version": result.version},
            **extra,
        )
        assert response.status_code == 422
        assert "请填写不通过的理由。" in html(response)
        assert f'class="point focus has-errors" id="point-{result.pk}"' in html(response)
    result.refresh_from_db()
    assert (result.version, result.status, result.final_result) == (1, "machine", "pass")
    assert AuditEvent.objects.count() == before and not AuditStatus.objects.exists()


def test_pass_and_fail_through_the_form_write_one_event_each(hr_console, screened, resumes):
    document = _document(resumes[0])
    first, second = _results(document)[:2]
    before = AuditEvent.objects.count()
    failed = hr_console.post(
        _url(document, f"results/{first.pk}/"),
        {"result": "fail", "message": "没有项目经历", "final_score": "10", "version": 1},
    )
    assert failed.status_code == 302  # no JS: post, then redirect to the next point
    assert failed["Location"] == _url(document) + f"?focus={second.pk}#point-{second.pk}"
    first.refresh_from_db()
    assert (first.final_result, first.final_score, first.status) == ("fail", 10, "reviewed")
    assert first.evaluated_results["message"] == "没有项目经历"
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "result.reviewed" and event.object_id == str(first.pk)
    assert event.after["audit_message"] == "没有项目经历" and event.before["final_result"] == "pass"
    passed = hr_console.post(
        _url(document, f"results/{second.pk}/"), {"result": "pass", "version": 1}, **HTMX
    )
    assert passed.status_code == 200 and "<html" not in html(passed)
    assert AuditEvent.objects.count() == before + 2
    assert AuditStatus.objects.filter(document=document).count() == 2
    page = html(hr_console.get(_url(document)))
    row = page[page.index(f'id="point-{first.pk}"') :]
    row = row[: row.index("</li>")]
    assert "人工: 不通过" in visible_text(row) and hr_console.user.username in row
    assert "没有项目经历" in row


def test_pass_all_remaining_needs_confirmation_and_skips_reviewed(hr_console, screened, resumes):
    document = _document(resumes[0])
    results = _results(document)
    hr_console.post(
        _url(document, f"results/{results[0].pk}/"),
        {"result": "fail", "message": "不够", "version": 1},
    )
    before = AuditEvent.objects.count()
    ask = html(hr_console.get(_url(document, "pass-remaining/")))
    assert 'name="confirm" value="1"' in ask
    assert f"将以下 {len(results) - 1} 项尚未人工审核的评查项全部设为通过" in visible_text(ask)
    assert results[0].point.name not in re.findall(r"<li>([^<]+) <span", ask)
    unconfirmed = hr_console.post(_url(document, "pass-remaining/"), {"version": 1})
    assert unconfirmed.status_code == 200
    assert AuditEvent.objects.count() == before  # nothing happens without the confirmation
    done = hr_console.post(_url(document, "pass-remaining/"), {"version": 1, "confirm": "1"})
    assert done.status_code == 302
    after = _results(document)
    assert after[0].final_result == "fail" and after[0].version == 2
    assert all(r.final_result == "pass" and r.status == "reviewed" for r in after[1:])
    new = list(AuditEvent.objects.filter(id__gt=0).order_by("-id")[: len(results) - 1])
    assert AuditEvent.objects.count() == before + len(results) - 1
    assert {e.action for e in new} == {"result.reviewed"}
    assert {e.object_id for e in new} == {str(r.pk) for r in after[1:]}
    page = html(hr_console.get(_url(document)))
    assert "pass-remaining/" not in page  # nothing remains


def test_history_reads_as_sentences_in_chinese_and_english(hr_console, screened, resumes):
    document = _document(resumes[0])
    result = _results(document)[0]
    name, who = result.point.name, hr_console.user.username
    hr_console.post(
        _url(document, f"results/{result.pk}/"),
        {"result": "fail", "message": "没有项目经历", "version": 1},
    )
    document.refresh_from_db()
    hr_console.post(_url(document, "confirm/"), {"version": document.version})
    hr_console.post(
        _url(document, "confirm/"),
        {"version": document.version + 1, "action": "reopen", "reason": "补充材料"},
    )
    document.refresh_from_db()
    total = f"{document.final_total:.1f}"
    zh = visible_text(html(hr_console.get(_url(document))))
    assert f"{who} 将「{name}」改为不通过：没有项目经历" in zh
    assert f"{who} 确认了审核（人工总分 {total}）" in zh
    assert f"{who} 重新打开：补充材料" in zh
    assert "系统 记录了机器评估" in zh
    hr_console.post("/console/language/", {"language": "en", "next": "/console/"})
    en = visible_text(html(hr_console.get(_url(document))))
    assert f"{who} failed “{name}”: 没有项目经历" in en
    assert f"{who} confirmed the review (human total {total})" in en
    assert f"{who} reopened the review: 补充材料" in en
    assert "System recorded the machine evaluation" in en


def test_no_raw_codes_and_labels_said_once(hr_console, screened, resumes):
    document = _document(resumes[0])
    unknown = _unknown_first_document(hr_console.user)
    for doc in (document, unknown):
        results = _results(doc)
        hr_console.post(
            _url(doc, f"results/{results[0].pk}/"),
            {"result": "fail", "message": "理由", "version": 1},
        )
        hr_console.post(_url(doc, f"results/{results[1].pk}/"), {"result": "pass", "version": 1})
        page = html(hr_console.get(_url(doc)))
        text = visible_text(page)
        for code in ("audit_status.created", "result.updated", "result.reviewed"):
            assert code not in text
        assert not re.search(r"\b(pass|fail|unknown|partial|machine|reviewed)\b", text), text
        assert "通过 通过" not in text and "不通过 不通过" not in text and "确认完成" not in text
        assert "快捷键" in text and "<kbd>j</kbd>" in page


def test_pass_all_remaining_is_refused_to_outsiders_and_on_a_confirmed_document(
    console_for, hr_console, screened, resumes
):
    document = _document(resumes[0])
    outsider = console_for("reviewer")
    confirm = {"version": 1, "confirm": "1"}
    assert outsider.get(_url(document, "pass-remaining/")).status_code == 403
    assert outsider.post(_url(document, "pass-remaining/"), confirm).status_code == 403
    hr_console.post(_url(document, "confirm/"), {"version": 1})
    before = AuditEvent.objects.count()
    refused = hr_console.post(_url(document, "pass-remaining/"), {"version": 2, "confirm": "1"})
    assert refused.status_code == 409 and 'role="alert"' in html(refused)
    assert AuditEvent.objects.count() == before
    assert not EvaluationResult.objects.filter(document=document, status="reviewed").exists()
