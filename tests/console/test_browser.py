"""The console in a real browser: Debian's Chromium driven by Playwright against `hrm2 serve`.

Skipped when /usr/bin/chromium or the playwright package is missing. Screenshots of each step
are saved under the test's tmp dir; a failing test names the directory in its report.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.live import wait_for_http
from tests.resumes.test_uploads import docx_bytes, pdf_bytes
from tests.videos.factory import make_video, voice

CHROMIUM = "/usr/bin/chromium"
HRM2 = str(Path(sys.executable).with_name("hrm2"))
PASSWORD = "Console-e2e-pw1"

# Every browser test module: ``pytestmark = BROWSER_TEST`` (and it imports ``sync_api`` from here).
BROWSER_TEST = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed"),
]
pytestmark = BROWSER_TEST
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """A real `hrm2 serve` (web + worker) on a free port with a signed-up HR user."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hrm2.settings",
        "HRM2_VAR_DIR": str(tmp_path / "var"),
        "HRM2_WORKER_HEARTBEAT_SECONDS": "1",
    }
    for name in ("DATABASE_URL", "CELERY_BROKER_URL", "HRM2_CELERY_EAGER"):
        env.pop(name, None)
    subprocess.run([HRM2, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    subprocess.run(
        [HRM2, "createuser", "--username", "hr", "--password", "-", "--role", "hr"],
        env=env,
        input=PASSWORD + "\n",
        text=True,
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [HRM2, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/health/", timeout=60, proc=proc, log_path=log_path)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def browser_page(tmp_path, request):
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20_000)
        page.shots = shots
        yield page
        call = getattr(request.node, "rep_call", None)
        if call is not None and call.failed:
            page.screenshot(path=str(shots / "failure.png"), full_page=True)
        browser.close()
    keep = os.environ.get("HRM2_E2E_SCREENSHOTS")
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)


def shot(page, name: str) -> None:
    page.screenshot(path=str(page.shots / f"{name}.png"), full_page=True)


def sign_in(page, base: str, username: str = "hr") -> None:
    """Sign in through the console's login form (any earlier session is dropped first)."""
    page.context.clear_cookies()
    page.goto(f"{base}/console/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    sync_api.expect(page.locator("nav")).to_be_visible()


def test_sign_in_upload_screen_and_review(server, browser_page, tmp_path):
    page = browser_page
    expect = sync_api.expect
    page.goto(f"{server}/console/")
    expect(page).to_have_url(f"{server}/console/login/?next=/console/")
    page.fill("#id_username", "hr")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator("nav")).to_contain_text("职位")
    shot(page, "01-signed-in")

    # a position, with a field error first
    page.goto(f"{server}/console/positions/new/")
    page.fill("#id_position", "Backend Engineer")
    page.fill("#id_required_skills", "Python\nDjango")
    page.fill("#id_min_experience", "many")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("#id_min_experience-error")).to_be_visible()
    expect(page.locator("#id_required_skills")).to_have_value("Python\nDjango")
    shot(page, "02-position-field-error")
    page.fill("#id_min_experience", "3")
    page.check("input[name=education][value=本科]")
    page.click("form.card button[type=submit].primary")
    expect(page.locator("h1")).to_contain_text("Backend Engineer")

    # three resumes: PDF, DOCX, TXT
    files = {
        "alice.pdf": pdf_bytes(["Alice Smith", "Python and Django, 2016-2024", "Bachelor"]),
        "bob.docx": docx_bytes(["Bob Wang", "Java and Spring, 2 years"]),
        "carol.txt": "Carol Jones\nPython, Django, Redis; 本科; 2015-2024\n".encode(),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    page.click("text=上传简历")
    page.set_input_files("#id_files", [str(tmp_path / name) for name in files])
    page.click("#upload-form button[type=submit]")
    expect(page.locator("tr.outcome-accepted")).to_have_count(3)
    shot(page, "03-uploaded")

    # screen them and watch the job complete
    page.click("text=前往该职位的简历并筛选")
    for box in page.locator("input[name=resume_ids]").all():
        box.check()
    page.click("button:has-text('开始筛选')")
    expect(page.locator("#task-progress")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    shot(page, "04-screened")

    # review Alice: fail one criterion with a reason, pass the others, confirm
    page.click("#task-progress a:has-text('Alice')")
    candidate_url = page.url
    expect(page.locator("#decision")).to_contain_text("待审核")
    page.click("#open-review")
    expect(page.locator("#audit-panel")).to_be_visible()
    expect(page.locator("pre.resume mark").first).to_be_visible()
    results = page.locator("#audit-panel li.point")
    count = results.count()
    assert count >= 3
    first = results.nth(0)
    first.locator("button.bad").click()  # no reason: the reason field is asked for first
    expect(first.locator("input[name=message]")).to_be_focused()
    first.locator("button.bad").click()  # still none: refused next to the field
    expect(page.locator("#audit-panel li.point").nth(0).locator(".field-error")).to_be_visible()
    page.locator("#audit-panel li.point").nth(0).locator("input[name=message]").fill("未见相关证据")
    page.locator("#audit-panel li.point").nth(0).locator("input[name=final_score]").fill("0")
    page.locator("#audit-panel li.point").nth(0).locator("button.bad").click()
    expect(page.locator("li.point.reviewed")).to_have_count(1)
    for index in range(1, count):
        page.locator("#audit-panel li.point").nth(index).locator("button.ok").click()
        expect(page.locator("li.point.reviewed")).to_have_count(index + 1)
    shot(page, "05-reviewed")
    page.click("#audit-panel button:has-text('确认审核')")
    expect(page.locator("#reopen-reason")).to_be_visible()
    page.reload()
    expect(page.locator("#audit-panel .history")).to_contain_text("确认了审核")
    human = page.locator("#final-total").inner_text()
    # the candidate page leads with the reviewer's decision, the same number
    page.goto(candidate_url)
    confirmed = page.locator("#confirmed-score").inner_text()
    assert confirmed not in ("", "—") and confirmed == human
    expect(page.locator("#decision")).to_contain_text("人工已确认")
    shot(page, "06-confirmed")

    # a phone-sized screen still shows the page
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "07-phone")

    page.set_viewport_size({"width": 1280, "height": 900})

    # a generated 3-second video with consent: the worker analyses it, the timeline appears
    clip = make_video(
        tmp_path / "interview.mp4", duration=3, faces=1, audio=voice(3, phrases=[(0.3, 2.7)])
    )
    page.goto(f"{server}/console/videos/upload/")
    page.fill("#id_candidate_name", "Alice Smith")
    page.fill("#id_position_applied", "Backend Engineer")
    page.set_input_files("#id_video_file", str(clip))
    page.check("#id_consent")
    page.click("#video-upload-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/videos/[0-9a-f-]{36}/$"))
    shot(page, "08-video-uploaded")
    expect(page.locator("#video-status")).to_have_attribute(
        "data-status", "completed", timeout=120_000
    )
    expect(page.locator("svg.chart.timeline")).to_be_visible(timeout=30_000)
    expect(page.locator("svg.chart.timeline [data-lane]").first).to_be_attached()
    shot(page, "09-video-timeline")

    # an interview with two answers, ended, its report written and downloaded as PDF
    page.goto(candidate_url)
    page.click("#start-interview")
    expect(page.locator("#session-status")).to_have_attribute("data-status", "active")
    page.click("#generate-questions")
    expect(page.locator("#question-pool [data-question]").first).to_be_visible()
    shot(page, "10-question-pool")
    answers = [
        "我在上一家公司负责订单系统，用 Django 和 Redis 把接口延迟降低了 60%。",
        "遇到分歧时，我先整理数据，再和团队讨论方案，最后按期上线。",
    ]
    for number, answer in enumerate(answers, start=1):
        page.select_option("#id_question_id", index=number)
        page.fill("#id_answer", answer)
        page.click("#submit-answer")
        expect(page.locator("#qa-records .qa-record")).to_have_count(number)
        expect(page.locator(f'.qa-record[data-round="{number}"] .qa-score')).to_be_visible()
    expect(page.locator("#id_answer")).to_have_value("")
    expect(page.locator(".qa-record").first.locator("[data-dimension]")).to_have_count(6)
    shot(page, "11-answers-evaluated")
    page.click("#end-session")
    expect(page.locator("#session-status")).to_have_attribute("data-status", "ended")
    page.click("#report-form button[type=submit]")
    expect(page.locator("#report-downloads")).to_be_visible()
    shot(page, "12-report")
    with page.expect_download() as info:
        page.click("#report-downloads a[data-format=pdf]")
    download = info.value
    saved = tmp_path / "interview-report.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    assert download.suggested_filename.endswith(".pdf")


def test_unknown_console_page_is_the_console_404(server, browser_page):
    page = browser_page
    expect = sync_api.expect
    sign_in(page, server)

    response = page.goto(f"{server}/console/positions/no/such/page/")
    assert response.status == 404 and response.headers["content-type"].startswith("text/html")
    expect(page.locator("h1")).to_have_text("404 · 页面不存在")
    expect(page.locator("nav a[aria-current=page]")).to_have_text("职位")
    shot(page, "404-zh")
    page.click("button:has-text('English')")  # the switch keeps the address: still a 404
    expect(page.locator("h1")).to_have_text("404 · Page not found")
    shot(page, "404-en")
    page.click("text=Back to the console")
    expect(page.locator("h1")).not_to_contain_text("404")
