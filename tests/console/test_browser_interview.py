"""The live interview assistant in a real browser, in Chinese and then in English: generate the
question pool at a chosen level, record a strong answer and one that admits a gap, write the
report with HR notes. Levels, STAR parts and answer credibility read as words; the notes stay
in their box after the report.

Debian's Chromium driven by Playwright against `hrm2 serve` (skipped when either is missing).
Screenshots of each step are saved under the test's tmp dir (HRM2_E2E_SCREENSHOTS=dir keeps them).
"""

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
    "Alice Zhang\n本科 计算机科学 2012-2016\n"
    "2016.07-2019.06 某科技公司 后端工程师，负责订单系统\n"
    "2020.03-2025.05 星云数据有限公司 高级后端工程师，带领 5 人团队\n"
    "技能：Python、Django、Redis、Kafka\n项目：支付平台重构（Django）；订单中心拆分\n"
)
RUNS = {
    "zh": {
        "level": "专家",
        "strong": "当时我们的交易系统高峰期 QPS 达到 2 万，我负责缓存层的改造："
        "首先我设计了基于 Redis 的二级缓存，因为热点数据集中；然后我引入了过期时间随机化防止击穿。"
        "最终数据库 QPS 从 2 万降到 3000，P99 延迟从 800ms 降到 120ms。",
        "question": "Kafka 如何保证消息不丢失、不重复？",
        "gap": "Kafka 的事务机制具体不太清楚，我只用过默认配置。",
        "notes": "沟通清楚，期望薪资 30k，两周内可到岗",
        "words": ["专家", "情境", "结果", "回答可信度", "坦承不了解", "行为面试"],
    },
    "en": {
        "level": "Expert",
        "strong": "At my last company our checkout service peaked at 20k QPS. I was responsible "
        "for the cache layer: first I designed a two-level cache on Redis because the hot keys "
        "were concentrated, then I added jittered expiry to stop stampedes. Database QPS went "
        "from 20k to 3k and p99 latency dropped from 800ms to 120ms.",
        "question": "How does Kafka avoid losing or duplicating messages?",
        "gap": "I'm not familiar with Kafka transactions; I only used the defaults.",
        "notes": "Clear communicator; expects 30k; can start in two weeks",
        "words": [
            "Expert",
            "Situation",
            "Result",
            "Answer credibility",
            "admits a gap",
            "Behavioral",
        ],
    },
}


def _interview(page, base: str, candidate_url: str, run: dict, step: str) -> None:
    expect = sync_api.expect
    page.goto(candidate_url)
    page.click("#start-interview")
    expect(page.locator("#session-status")).to_have_attribute("data-status", "active")
    page.select_option("#id_candidate_level", label=run["level"])
    page.fill("#id_count_per_category", "3")
    page.click("#generate-questions")
    expect(page.locator("#question-pool [data-question]")).to_have_count(9)
    expect(page.locator("#question-pool [data-level=expert]").first).to_have_text(run["level"])
    shot(page, f"{step}-1-questions")

    page.select_option("#id_question_id", index=1)
    page.fill("#id_answer", run["strong"])
    page.click("#submit-answer")
    expect(page.locator("#qa-records .qa-record")).to_have_count(1)
    page.select_option("#id_question_id", index=0)
    page.fill("#id_question_content", run["question"])
    page.fill("#id_answer", run["gap"])
    page.click("#submit-answer")
    expect(page.locator("#qa-records .qa-record")).to_have_count(2)
    shot(page, f"{step}-2-answers")

    page.fill("#id_hr_notes", run["notes"])
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-downloads")).to_be_visible()
    expect(page.locator("#id_hr_notes")).to_have_value(run["notes"])  # kept after the report
    expect(page.locator("#report-hr-notes")).to_contain_text(run["notes"])
    text = page.locator("main").inner_text()
    for word in run["words"]:
        assert word in text, word
    for code in ("junior", "senior", "expert", "situation", "genuine", "uncertain"):
        assert code not in text, code
    shot(page, f"{step}-3-report")


def test_interview_in_chinese_and_english(server, browser_page, tmp_path):  # noqa: F811
    page = browser_page
    expect = sync_api.expect
    sign_in(page, server)
    page.goto(f"{server}/console/positions/new/")
    page.fill("#id_position", "后端工程师")
    page.fill("#id_required_skills", "Python\nDjango\nKafka")
    page.fill("#id_min_experience", "3")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("后端工程师")
    (tmp_path / "alice.txt").write_text(RESUME, encoding="utf-8")
    page.click("text=上传简历")
    page.set_input_files("#id_files", str(tmp_path / "alice.txt"))
    page.click("#upload-form button[type=submit]")
    expect(page.locator("tr.outcome-accepted")).to_have_count(1)
    page.click("text=前往该职位的简历并筛选")
    page.locator("a:has-text('Alice Zhang')").first.click()
    expect(page.locator("#start-interview")).to_be_visible()
    candidate_url = page.url

    _interview(page, server, candidate_url, RUNS["zh"], "zh")
    page.click("button[name=language][value=en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    _interview(page, server, candidate_url, RUNS["en"], "en")
