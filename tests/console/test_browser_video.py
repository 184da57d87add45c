"""The video page in a real browser, in Chinese at 1280 px: the player plays the recording
through the console's media view, clicking a flagged span or its time in the table seeks the
player there, and the machine-vs-reviewed names read on one line.

Debian's Chromium driven by Playwright against `hrm2 serve` (skipped when either is missing).
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
from tests.videos.factory import make_video, voice

pytestmark = BROWSER_TEST


def test_player_seeks_to_flagged_spans(server, browser_page, tmp_path):  # noqa: F811
    page, expect = browser_page, sync_api.expect
    clip = make_video(
        tmp_path / "two_faces.mp4",
        duration=6,
        faces=lambda t: 2 if 2.0 <= t < 4.0 else 1,
        audio=voice(6, phrases=[(0.5, 2.5), (3.0, 5.5)]),
    )
    sign_in(page, server)
    page.goto(f"{server}/console/videos/upload/")
    page.fill("#id_candidate_name", "欧阳明轩")
    page.fill("#id_position_applied", "后端工程师")
    page.set_input_files("#id_video_file", str(clip))
    page.check("#id_consent")
    page.click("#video-upload-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/console/videos/[0-9a-f-]{36}/$"))
    expect(page.locator("#video-status")).to_have_attribute(
        "data-status", "completed", timeout=120_000
    )
    expect(page.locator("svg.chart.timeline")).to_be_visible(timeout=30_000)
    player = page.locator("#video-player")
    # the media view answered: the browser knows the recording's length
    page.wait_for_function(
        "() => { const v = document.getElementById('video-player'); "
        "return v && v.readyState >= 1 && v.duration > 5; }"
    )

    span = page.locator('[data-lane="multiple_faces"] a.seek-span').first
    start = float(span.get_attribute("data-seek"))
    assert 1.0 <= start <= 3.0
    span.click()
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('video-player').currentTime - {start}) < 0.6"
    )
    player.evaluate("v => v.pause()")

    player.evaluate("v => { v.currentTime = 0; }")
    page.locator('#signal-events tr[data-signal="multiple_faces"] a.seek').click()
    page.wait_for_function(
        f"() => Math.abs(document.getElementById('video-player').currentTime - {start}) < 0.6"
    )
    player.evaluate("v => v.pause()")
    expect(page.locator("#timeline-playhead")).to_have_attribute("visibility", "visible")

    # names of the machine-vs-reviewed table on one line (not one character per line)
    lines = page.eval_on_selector_all(
        "#machine-vs-reviewed td.name",
        """cells => cells.map(c => {
             const r = document.createRange(); r.selectNodeContents(c);
             return [c.textContent.trim(), r.getClientRects().length]; })""",
    )
    assert len(lines) >= 8 and all(count == 1 for _name, count in lines), lines
    assert "并非人格测量" in page.locator("#impression-limits").inner_text()
    shot(page, "video-zh-1280")
