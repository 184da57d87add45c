"""The review loop in a real browser, as people use it: HR screens resumes and assigns a
reviewer by name; the reviewer finds the work in the queue, overturns a verdict with a reason
and confirms; HR then sees the reviewer's decision in the list, on the candidate page, in the
downloaded PDF and JSON reports, and in a group evaluation that ranks candidates who have no
interview yet.

Debian's Chromium driven by Playwright against `hrm2 serve` (skipped when either is missing).
Screenshots of each step are saved under the test's tmp dir (HRM2_E2E_SCREENSHOTS=dir keeps them).
"""

import io
import json
import os
import subprocess

from pypdf import PdfReader

from tests.console.test_browser import (  # noqa: F401 - fixtures
    BROWSER_TEST,
    HRM2,
    PASSWORD,
    browser_page,
    server,
    shot,
    sign_in,
    sync_api,
)

pytestmark = BROWSER_TEST

REASON = "Python 只出现在技能列表里，项目中没有使用"
RESUMES = {
    "alice.txt": "Alice Smith\n本科 计算机 2012-2016\n2016.07-2024.06 某科技公司 后端工程师\n"
    "技能：Python、Django、Redis\n项目：订单系统重构（Django）；支付对账平台\n",
    "bob.txt": "Bob Wang\n本科\n2019.01-2023.01 某软件公司 Java 开发\n技能：Java、Spring\n",
    "carol.txt": "Carol Jones\n硕士 软件工程\n2015.03-2024.03 某互联网公司 高级后端工程师\n"
    "精通 Python、Django、PostgreSQL；负责推荐服务\n",
}


def _create_reviewer(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrm2.settings",
        "HRM2_VAR_DIR": str(tmp_path / "var"),
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "HRM2_CELERY_EAGER"):
        env.pop(name, None)
    command = [HRM2, "createuser", "--username", "wangfang", "--name", "王芳"]
    subprocess.run(
        [*command, "--role", "reviewer", "--password", "-"],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_reviewer_decision_reaches_hr(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    expect = sync_api.expect
    _create_reviewer(tmp_path)

    # HR: a position, three resumes, a screening job
    sign_in(page, server, "hr")
    page.goto(f"{server}/console/positions/new/")
    page.fill("#id_position", "后端工程师")
    page.fill("#id_required_skills", "Python\nDjango")
    page.fill("#id_min_experience", "3")
    page.check("input[name=education][value=本科]")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("后端工程师")
    for name, text in RESUMES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    page.click("text=上传简历")
    page.set_input_files("#id_files", [str(tmp_path / name) for name in RESUMES])
    page.click("#upload-form button[type=submit]")
    expect(page.locator("tr.outcome-accepted")).to_have_count(3)
    page.click("text=前往该职位的简历并筛选")
    resumes_url = page.url
    for box in page.locator("input[name=resume_ids]").all():
        box.check()
    page.click("button:has-text('开始筛选')")
    expect(page.locator("#task-progress")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )

    # HR assigns the job's documents to 王芳, picked by name
    form = page.locator("#assign-form")
    form.locator("label.reviewer-choice:has-text('王芳') input").check()
    form.locator("button[type=submit]").click()
    expect(page.locator("#assign-form .assigned-now")).to_contain_text("王芳")
    shot(page, "01-assigned")

    # HR groups the three candidates (no interviews yet)
    page.goto(resumes_url)
    for box in page.locator("input[name=resume_ids]").all():
        box.check()
    page.fill("#a-group", "第一批")
    page.click("button[formaction$='/groups/create/']")
    expect(page.locator("h1")).to_contain_text("第一批")
    group_url = page.url

    # the reviewer signs in and finds the work in the queue
    sign_in(page, server, "wangfang")
    page.goto(f"{server}/console/reviews/")
    rows = page.locator("tr[data-document]")
    expect(rows).to_have_count(3)
    shot(page, "02-reviewer-queue")
    rows.filter(has_text="Alice").locator("a").last.click()
    expect(page.locator("#audit-panel")).to_be_visible()
    expect(page.locator("#review-resume mark").first).to_be_visible()

    # overturn the machine's pass of "Python" with a reason, then confirm
    python = page.locator("li.point", has=page.locator("a.point-name", has_text="Python")).first
    python.locator("a.point-name").click()
    python = page.locator("li.point", has=page.locator("a.point-name", has_text="Python")).first
    expect(python.locator(".badge.ok").first).to_contain_text("符合")
    python.locator("input[name=message]").fill(REASON)
    python.locator("button.bad").click()
    python = page.locator("li.point", has=page.locator("a.point-name", has_text="Python")).first
    expect(python.locator(".human")).to_contain_text("不通过")
    shot(page, "03-review-page")
    page.locator(".review-actions button:has-text('确认审核')").click()
    expect(page.locator("#audit-panel")).to_contain_text("人工已确认")
    expect(page.locator("#audit-panel")).to_contain_text("改为不通过")
    human_total = page.locator("#final-total").inner_text()
    shot(page, "04-confirmed")

    # HR sees the reviewer's decision in the list, on the candidate page and in the reports
    sign_in(page, server, "hr")
    page.goto(resumes_url)
    alice = page.locator("tr", has_text="Alice Smith")
    expect(alice.locator("td.decision")).to_contain_text("人工已确认")
    expect(alice.locator("td.decision")).to_contain_text(human_total)
    shot(page, "05-resume-list")
    alice.locator("a", has_text="Alice Smith").click()
    decision = page.locator("#decision")
    expect(decision).to_contain_text("人工已确认")
    expect(decision).to_contain_text(REASON)
    expect(decision).to_contain_text("王芳")
    expect(page.locator("#confirmed-score")).to_have_text(human_total)
    shot(page, "06-candidate-page")
    downloads = {
        fmt: page.locator(f"a[href$='report.{fmt}']").get_attribute("href")
        for fmt in ("pdf", "json")
    }
    report = json.loads(page.request.get(f"{server}{downloads['json']}").body())
    review = report["human_review"]
    assert review["state"] == "confirmed" and review["confirmed_by"] == "王芳"
    assert f"{review['human']['score']:.1f}" == human_total
    assert [c["reason"] for c in review["changes"]] == [REASON]
    pdf = page.request.get(f"{server}{downloads['pdf']}").body()
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "人工审核" in text and "王芳" in text and human_total in text

    # a group evaluation of candidates without interviews ranks all of them
    page.goto(group_url)
    page.click("#evaluation-start button[type=submit]")
    expect(page.locator("#evaluation-progress")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    page.reload()
    ranked = page.locator("#ranking tr[data-rank]:not([data-rank=unranked])")
    expect(ranked).to_have_count(3)
    expect(page.locator("#ranking tr[data-rank=unranked]")).to_have_count(0)
    # Alice's screening input is the reviewer's decision, and the page says so
    alice_row = ranked.filter(has=page.locator("td:nth-child(2)", has_text="Alice Smith"))
    expect(alice_row.locator("[data-coverage]")).to_contain_text("人工已确认")
    expect(ranked.first).to_contain_text("无面试")
    shot(page, "07-group-evaluation")

    # the same pages in English
    page.click("button[name=language][value=en]")
    expect(page.locator("#ranking")).to_contain_text("confirmed by a person")
    shot(page, "08-group-evaluation-en")
    page.goto(resumes_url)
    expect(page.locator("tr", has_text="Alice Smith").locator("td.decision")).to_contain_text(
        "Confirmed by a reviewer"
    )
    alice_link = page.locator("a", has_text="Alice Smith").first
    alice_link.click()
    expect(page.locator("#decision")).to_contain_text("Confirmed by 王芳")
    shot(page, "09-candidate-page-en")
    page.click("#open-review")
    expect(page.locator("#audit-panel")).to_contain_text("failed")
    shot(page, "10-review-page-en")
