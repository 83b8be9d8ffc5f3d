"""Each person sees what their role and area allow, and masked numbers stay masked: a
facilitator of one village never sees another village's keluhan; a supervisor without pii:read
sees no NIK or KK in clear on any screen; a Dinas officer sees only its inbox; the queue updates
live; a sector system that is down is said to be down while the rest of the case works."""

from __future__ import annotations

import re

import httpx

from hub.demo.people import synthetic_household
from tests.console.browser.demo import Demo
from tests.console.browser.driving import Mouse
from tests.console.browser.steps import fresh_family, go, sign_in

SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{16}(?!\d)")
JAKASAMPURNA, KAYURINGINJAYA = "3275021005", "3275041005"
FIRST_CASE = """query($area: ID) { cases(filter: { areaCode: $area }, first: 1) { edges { node { id number complaint } } } }"""
RECORD = """mutation($input: RecordCaseInput!) { recordCase(input: $input) { case { id number } errors { message } } }"""
SUBMIT = """mutation($id: ID!) { submitCase(id: $id) { case { status } errors { message } } }"""


def first_case(demo: Demo, village: str) -> dict:
    return demo.graphql("back-office", FIRST_CASE, area=village)["cases"]["edges"][0]["node"]


def open_case(page, case_id: str) -> None:
    page.evaluate("(id) => { location.hash = '#/kasus/' + id; }", case_id)


def check_all_statuses(page) -> None:
    for box in page.locator("fieldset.statuses input[type=checkbox]").all():
        box.check()
    page.click("form.filters button[type=submit]")


def test_a_facilitator_never_sees_another_villages_keluhan(page, demo):
    theirs = first_case(demo, JAKASAMPURNA)
    sign_in(page, Mouse(page), "fasilitator-margahayu")
    check_all_statuses(page)
    page.wait_for_selector("[data-testid=queue] tbody tr")
    villages = set(page.locator("[data-testid=queue] tbody tr td:nth-child(2)").all_inner_texts())
    assert villages == {"Margahayu"}
    assert theirs["number"] not in page.inner_text("main")
    open_case(page, theirs["id"])
    page.wait_for_selector("main .alert-error")
    assert "Tidak ditemukan di wilayah Anda." in page.inner_text("main")
    assert page.locator("[data-testid=case-status]").count() == 0
    assert theirs["complaint"] not in page.inner_text("main")
    # No dashboard or referral tracker for field staff.
    assert page.locator("nav a[href='#/dasbor'], nav a[href='#/rujukan']").count() == 0


def test_a_supervisor_without_pii_read_sees_masked_numbers_everywhere(page, demo):
    mouse = Mouse(page)
    sign_in(page, mouse, "supervisor-bekasi-barat")
    case = first_case(demo, JAKASAMPURNA)
    seen = []
    page.wait_for_selector("[data-testid=queue]")
    seen.append(page.inner_text("body"))
    open_case(page, case["id"])
    page.wait_for_selector("[data-testid=nik]")
    page.wait_for_selector("[data-connector=siks_ng]")
    niks = page.locator("[data-testid=nik] [data-masked]").all()
    assert niks and all(n.get_attribute("data-masked") == "yes" for n in niks)
    assert page.locator("[data-testid=kk] [data-masked]").get_attribute("data-masked") == "yes"
    # The panels of the systems that carry personal data say why they are empty.
    assert page.locator("[data-connector=bpjs][data-state=pii]").count() == len(niks)
    seen.append(page.inner_text("body"))
    for screen, heading in (("rujukan", "Pelacakan rujukan"), ("dasbor", "Dasbor pemantauan dan evaluasi")):
        go(page, mouse, screen, heading)
        page.wait_for_selector("[data-testid=partner-health], [data-testid=tiles]")
        assert page.locator(".alert-error").count() == 0, screen  # the screen works for a supervisor
        seen.append(page.inner_text("body"))
    for text in seen:
        assert not SIXTEEN_DIGITS.search(text), SIXTEEN_DIGITS.search(text)


def test_a_dinas_officer_sees_only_its_inbox(page, demo):
    sign_in(page, Mouse(page), "dinas-koperasi")
    page.wait_for_selector("[data-testid=inbox]")
    assert page.locator("nav a").all_inner_texts() == ["Kotak rujukan"]
    page.evaluate("() => { location.hash = '#/antrian'; }")
    page.wait_for_timeout(500)
    assert page.locator("[data-testid=queue]").count() == 0 and page.locator("[data-testid=inbox]").count() == 1


def test_the_supervisors_queue_updates_live(page, demo):
    sign_in(page, Mouse(page), "supervisor-bekasi-barat")
    page.wait_for_selector("[data-testid=queue]")
    household = synthetic_household(fresh_family(2), JAKASAMPURNA, members=1)
    head = household.members[0]
    recorded = demo.graphql("fasilitator-jakasampurna", RECORD, input={
        "channel": "FACILITATOR", "villageCode": JAKASAMPURNA, "subjectNiks": [head.nik],
        "complaint": "Anak butuh biaya sekolah (uji antrian langsung)", "sectors": ["EDUCATION"],
        "household": {"kkNumber": household.kk_number, "address": household.address, "members": [{
            "nik": head.nik, "name": head.name, "birthDate": head.birth_date.isoformat(), "sex": head.sex.value,
            "relationship": "HEAD"}]}})["recordCase"]
    assert recorded["errors"] == []
    assert page.locator(f"tr[data-case='{recorded['case']['number']}']").count() == 0
    demo.graphql("fasilitator-jakasampurna", SUBMIT, id=recorded["case"]["id"])
    # No reload: the caseEvents subscription brings it in.
    page.wait_for_selector(f"tr[data-case='{recorded['case']['number']}']", timeout=20_000)
    assert "Diperbarui otomatis" in page.inner_text("main p.live")


def test_a_system_that_is_down_is_said_to_be_down_and_the_rest_works(page, demo):
    case = first_case(demo, KAYURINGINJAYA)  # not opened by any other test: nothing cached
    httpx.post(f"{demo.simulators}bpjs/_control", json={"error_rate": 1.0}, timeout=5).raise_for_status()
    try:
        sign_in(page, Mouse(page), "front-office")
        open_case(page, case["id"])
        page.wait_for_selector("[data-connector=bpjs]")
        down = page.locator("[data-connector=bpjs]")
        assert down.count() > 0 and all(p.get_attribute("data-state") == "down" for p in down.all())
        assert "Sistem tidak tersedia" in down.first.inner_text()
        # The other systems, the household, the timeline and the actions are all there.
        assert page.locator("[data-connector=siks_ng]").get_attribute("data-state") in ("ok", "none")
        assert page.locator("[data-connector=dukcapil][data-state=ok]").count() > 0
        assert page.locator("[data-testid=timeline] li").count() > 0
        assert page.locator("[data-testid=nik]").count() > 0
        assert page.locator("section.actions").count() == 1
    finally:
        httpx.post(f"{demo.simulators}bpjs/_control", json={"error_rate": 0.0}, timeout=5).raise_for_status()


def test_the_token_is_kept_in_memory_only(page, demo):
    mouse = Mouse(page)
    sign_in(page, mouse, "back-office")
    page.wait_for_selector("[data-testid=queue]")
    page.click("header button[lang=en]")  # the one thing the console remembers: the language
    stored = page.evaluate("() => ({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })")
    assert stored == {"local": {"slrt.lang": "en"}, "session": {}, "cookie": ""}
    page.click("header button[lang=id]")
    # A reload forgets the session; signing out drops it at once.
    page.reload()
    page.wait_for_selector("[data-account]")
    sign_in(page, mouse, "back-office")
    page.click("[data-action=sign-out]")
    page.wait_for_selector("[data-account]")
    assert page.locator("[data-testid=who]").count() == 0


REGISTER = """mutation($input: RegisterPartnerInput!) { registerPartner(input: $input) { partner { id } errors { message } } }"""
REFER = """mutation($input: CreateReferralInput!) { createReferral(input: $input) { referral { id } errors { message } } }"""
DELIVERY = """query($id: ID!) { referral(id: $id) { deliveryState deliveryAttempts { statusCode } } }"""
REVIEWED = """{ cases(filter: { status: [REVIEWED] }, first: 20) { edges { node { id referrals { id } } } } }"""


class FlakyDinas:
    """A Dinas endpoint that refuses the first webhook (400: no retry, DEAD) and takes the next."""

    def __init__(self) -> None:
        import http.server
        import threading

        answers = [400]

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                self.rfile.read(int(self.headers.get("content-length", 0)))
                self.send_response(answers.pop(0) if answers else 200)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def wait_until(check, seconds: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not reached in time"
        time.sleep(0.3)


def test_a_dead_delivery_is_sent_again_from_the_tracker(page, demo):
    dinas = FlakyDinas()
    try:
        registered = demo.graphql("admin", REGISTER, input={
            "name": "Dinas Uji Kirim Ulang", "sectors": ["OTHER"], "webhookUrl": dinas.url,
            "programmes": [{"code": "UJI_KIRIM", "name": "Program uji", "sector": "OTHER", "level": "REGENCY"}]})
        assert registered["registerPartner"]["errors"] == []
        case = next(e["node"] for e in demo.graphql("back-office", REVIEWED)["cases"]["edges"])
        referral = demo.graphql("back-office", REFER, input={"caseId": case["id"], "programmeCode": "UJI_KIRIM",
                                                              "reason": "uji kirim ulang"})["createReferral"]
        assert referral["errors"] == []
        rid = referral["referral"]["id"]
        state = lambda: demo.graphql("back-office", DELIVERY, id=rid)["referral"]  # noqa: E731
        wait_until(lambda: state()["deliveryState"] == "DEAD")

        mouse = Mouse(page)
        sign_in(page, mouse, "back-office")
        go(page, mouse, "rujukan", "Pelacakan rujukan")
        card = f"[data-testid=dead] [data-referral='{rid}']"
        page.wait_for_selector(card)
        mouse.click(f"{card} button.primary")
        page.wait_for_selector("[data-testid=notice]:text-is('Dijadwalkan kirim ulang.')")
        page.wait_for_selector(card, state="detached")  # no longer DEAD
        wait_until(lambda: state()["deliveryState"] == "DELIVERED")
        assert [a["statusCode"] for a in state()["deliveryAttempts"]] == [400, 200]
    finally:
        dinas.close()


def test_the_demo_prints_the_console_url_first(demo):
    first = next(line for line in demo.lines if line.strip())
    assert first.startswith("SLRT Konsol") and f"{demo.url}/console/" in first
    assert httpx.get(f"{demo.url}/console/", timeout=10).status_code == 200
