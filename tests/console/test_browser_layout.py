"""The candidate page and the position history in a real browser, in Chinese and English: the
resume and the screening report come first (side by side at 1280 px, stacked at 390 px), the
decision, interviews and video follow without a blank column, nothing overflows a phone, and
no code ("embedded", "本科" in English) reaches the reader.

Screenshots are saved under the test's tmp dir (HRM2_E2E_SCREENSHOTS=dir keeps them).
"""

import re

from tests.console.test_browser import (  # noqa: F401 - fixtures
    BROWSER_TEST,
    PASSWORD,
    browser_page,
    server,
    shot,
    sign_in,
    sync_api,
)

pytestmark = BROWSER_TEST

RESUME = (
    "张伟\n本科 计算机科学 2012-2016\n"
    "2016.07-2024.06 某科技公司 高级后端工程师，负责交易系统，带领 5 人团队\n"
    "技能：Python、Django、Redis、PostgreSQL\n项目经历：支付平台重构；订单中心；风控规则引擎\n"
)


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, (width, viewport)


def _check_wide(page) -> None:
    """At 1280 px: resume left, report right, both at the top; the decision, interviews and
    video directly under the resume (no blank column)."""
    resume, report = _box(page, "#resume"), _box(page, "#report")
    decision, interviews = _box(page, "#decision"), _box(page, "#interviews")
    assert abs(resume["y"] - report["y"]) < 2 and report["x"] > resume["x"] + resume["width"]
    assert resume["width"] > 500 and report["width"] > 500
    assert 0 <= decision["y"] - (resume["y"] + resume["height"]) < 40
    assert abs(decision["x"] - resume["x"]) < 2 and interviews["y"] > decision["y"]
    _no_horizontal_overflow(page)


def _check_phone(page) -> None:
    """At 390 px: one column — resume, report, then the decision and interviews."""
    resume, report = _box(page, "#resume"), _box(page, "#report")
    decision, interviews = _box(page, "#decision"), _box(page, "#interviews")
    assert report["y"] >= resume["y"] + resume["height"]
    assert decision["y"] >= report["y"] + report["height"]
    assert interviews["y"] > decision["y"]
    assert abs(resume["x"] - report["x"]) < 2 and abs(report["x"] - decision["x"]) < 2
    _no_horizontal_overflow(page)


def test_candidate_page_and_position_history(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    expect = sync_api.expect
    sign_in(page, server)

    # a position saved twice: v2 swaps a skill, raises the years, adds a level and weights
    page.goto(f"{server}/console/positions/new/")
    page.fill("#id_position", "后端工程师")
    page.fill("#id_required_skills", "Python\nDjango\nJava")
    page.fill("#id_min_experience", "3")
    page.check("input[name=education][value=本科]")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("后端工程师")
    position_url = page.url
    page.fill("#id_required_skills", "Python\nDjango\nKafka")
    page.fill("#id_min_experience", "5")
    page.check("input[name=education][value=硕士]")
    page.fill("#id_w_skills", "0.5")
    page.fill("#id_w_experience", "0.3")
    page.fill("#id_description", "负责交易系统的后端开发与维护。")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("h1 small")).to_contain_text("v2")
    expect(page.locator("#versions")).to_contain_text("Kafka")
    shot(page, "position-1280-zh")

    # one resume, screened
    resume_file = tmp_path / "zhangwei.txt"
    resume_file.write_text(RESUME, encoding="utf-8")
    page.click("text=上传简历")
    page.set_input_files("#id_files", [str(resume_file)])
    page.click("#upload-form button[type=submit]")
    expect(page.locator("tr.outcome-accepted")).to_have_count(1)
    page.click("text=前往该职位的简历并筛选")
    page.locator("input[name=resume_ids]").first.check()
    page.click("button:has-text('开始筛选')")
    expect(page.locator("#task-progress")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    page.locator("#task-progress a").first.click()
    expect(page.locator("#report")).to_contain_text("内置引擎（离线）")
    candidate_url = page.url

    for language in ("zh", "en"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(candidate_url)
        if language == "en":
            page.click("button:has-text('English')")  # the switch stays on the page
            expect(page.locator("#report")).to_contain_text("Built-in engine (offline)")
            expect(page.locator("#report")).to_contain_text("Education: bachelor's degree")
        _check_wide(page)
        text = page.locator("main").inner_text()
        assert not re.search(r"\bembedded\b|\bllm\b", text)
        shot(page, f"candidate-1280-{language}")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(candidate_url)
        _check_phone(page)
        shot(page, f"candidate-390-{language}")

        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{position_url}history/")
        v2 = page.locator("#v2")
        expect(v2.locator(".changes")).to_contain_text("Kafka")
        expect(v2.locator(".changes del").first).to_be_visible()
        main = page.locator("main").inner_text()
        if language == "en":
            assert "master's degree" in main and not re.search(r"本科|硕士", main)
            assert "Skills weight" in main
        else:
            assert "硕士" in main and "技能权重" in main
        shot(page, f"position-history-1280-{language}")
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{position_url}history/")
        _no_horizontal_overflow(page)
        shot(page, f"position-history-390-{language}")
