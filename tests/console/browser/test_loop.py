"""The whole SLRT loop through the console only, as its people walk it: a facilitator records a
keluhan (a wrong NIK fixed after its field error, the hub's own field errors, a lost answer
retried without a duplicate), the supervisor approves, the front office reviews, the back office
refers to a portal-only Dinas, the Dinas officer accepts and completes it in the inbox, the case
shows SELESAI, and the dashboard counts it. Then the same loop with the keyboard only."""

from __future__ import annotations

import os
import subprocess

from tests.console.browser.driving import Keyboard, Mouse
from tests.console.browser.demo import Demo, slrt_hub
from tests.console.browser.steps import fresh_family, go, sign_in, sign_out, walk_the_loop

COUNT = "query($text: String) { cases(filter: { text: $text }) { totalCount edges { node { number status } } } }"


def resolved_on_dashboard(page, drv) -> int:
    go(page, drv, "dasbor", "Dasbor pemantauan dan evaluasi")
    page.wait_for_selector("[data-tile=resolved] dd")
    return int(page.inner_text("[data-tile=resolved] dd").replace(".", ""))


def report_csv(demo: Demo, start: str, end: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLRT_")}
    env.update(SLRT_DATABASE_URL=demo.database_url, SLRT_DATA_DIR=str(demo.data_dir))
    done = subprocess.run([slrt_hub(), "report", "--from", start, "--to", end], env=env, capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode()  # bytes: csv's \r\n line ends kept as written


def test_the_whole_loop_by_mouse_and_the_dashboard_counts_it(page, demo):
    mouse = Mouse(page)
    sign_in(page, mouse, "back-office")
    before = resolved_on_dashboard(page, mouse)
    sign_out(page, mouse)

    k = walk_the_loop(page, mouse, demo, seed=fresh_family(0))

    found = demo.graphql("back-office", COUNT, text=k.marker)["cases"]
    assert found["totalCount"] == 1  # the retried send did not record it twice
    assert found["edges"][0]["node"] == {"number": k.number, "status": "RESOLVED"}
    assert resolved_on_dashboard(page, mouse) == before + 1
    # The CSV download holds the figures of `slrt-hub report` for the same period.
    start, end = page.input_value("#d-from"), page.input_value("#d-to")
    with page.expect_download() as download:
        mouse.click("button:text-is('Unduh CSV')")
    with open(download.value.path(), encoding="utf-8", newline="") as fh:
        assert fh.read() == report_csv(demo, start, end)


def test_the_whole_loop_with_the_keyboard_only(page, demo):
    k = walk_the_loop(page, Keyboard(page), demo, seed=fresh_family(1))
    found = demo.graphql("back-office", COUNT, text=k.marker)["cases"]
    assert found["totalCount"] == 1 and found["edges"][0]["node"]["status"] == "RESOLVED"
