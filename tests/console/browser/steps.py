"""The SLRT loop as a person walks it in the console, by mouse or by keyboard (a driver)."""

from __future__ import annotations

import re
import uuid
from itertools import islice
from dataclasses import dataclass
from typing import Any

from hub.demo.people import coherent_seeds, synthetic_household
from hub.people.identity import make_nik
from hub.vocabulary import Sex

VILLAGE = "3275021005"  # Jakasampurna, Bekasi Barat: the demo facilitator's village


def fresh_family(n: int) -> int:
    """A Jakasampurna family the demo has not used (its cases, the README walkthrough and the
    demo's portal-only Dinas take the first eleven), told the same by every sector system."""
    return list(islice(coherent_seeds(VILLAGE, "Jakasampurna"), 12 + n))[-1]


def status_of(page: Any) -> str:
    return str(page.inner_text("[data-testid=case-status]")).strip()


def wait_status(page: Any, text: str) -> None:
    page.wait_for_function("(t) => { const b = document.querySelector('[data-testid=case-status]');"
                           " return b && b.textContent.trim() === t; }", arg=text)


def sign_in(page: Any, drv: Any, account: str) -> None:
    page.wait_for_selector(f"[data-account={account}]")
    drv.click(f"[data-account={account}]")
    page.wait_for_selector("[data-testid=who]")


def sign_out(page: Any, drv: Any) -> None:
    drv.click("[data-action=sign-out]")
    page.wait_for_selector("[data-account]")


def go(page: Any, drv: Any, screen: str, heading: str) -> None:
    drv.click(f"nav a[href='#/{screen}']")
    page.wait_for_selector(f"main h1:text-is('{heading}')")


@dataclass
class Keluhan:
    marker: str  # a word only this keluhan's complaint contains
    number: str = ""
    case_id: str = ""


def record_keluhan(page: Any, drv: Any, seed: int, fail_first_send: bool = True) -> Keluhan:
    """The facilitator's intake: a wrong NIK fixed after its field error, the hub's own field
    errors shown at their fields, and a send lost on the way back, retried under one key."""
    household = synthetic_household(seed, VILLAGE, members=2)
    head, spouse = household.members
    k = Keluhan(marker=f"uji{uuid.uuid4().hex[:8]}")
    go(page, drv, "catat", "Catat keluhan")
    drv.fill("#case-complaint", f"Suami kehilangan pekerjaan, butuh modal usaha warung ({k.marker})")
    drv.fill("#hh-kkNumber", household.kk_number)
    # A NIK whose birth-date digits are impossible (day 32): the console says what the hub would.
    wrong = head.nik[:6] + "32" + head.nik[8:]
    drv.fill("#member-0-nik", wrong)
    drv.leave("#member-0-nik")
    error = page.locator("#member-0-nik-error")
    assert error.inner_text().strip() == ("Angka ke-7 sampai ke-12 NIK harus tanggal lahir DDMMYY "
                                          "(perempuan: tanggal ditambah 40)")
    assert page.get_attribute("#member-0-nik", "aria-invalid") == "true"
    drv.fill("#member-0-nik", head.nik)
    page.wait_for_selector("#member-0-nik-error", state="detached")
    drv.fill("#member-0-name", head.name)
    drv.date("#member-0-birthDate", head.birth_date.isoformat())
    drv.choose("#member-0-sex", head.sex.value)
    drv.click("[data-add-member]")
    drv.fill("#member-1-nik", spouse.nik)
    drv.fill("#member-1-name", spouse.name)
    drv.date("#member-1-birthDate", spouse.birth_date.isoformat())
    drv.choose("#member-1-sex", spouse.sex.value)
    drv.choose("#member-1-relationship", "SPOUSE")
    drv.check(f"#subjects input[value='{head.nik}']")
    # Sent without an address or a sector: the hub's errors appear at those fields.
    drv.click("form.intake .buttons button[type=submit]")
    page.wait_for_selector("#hh-address-error")
    assert page.inner_text("#hh-address-error").strip() == "Alamat wajib diisi"
    assert page.inner_text("#case-sectors-error").strip() == "Pilih minimal satu sektor"
    drv.fill("#hh-address", household.address)
    drv.check("#case-sectors input[value=EMPLOYMENT]")
    if fail_first_send:
        _lose_the_first_answer(page)
    drv.click("form.intake .buttons button[type=submit]")
    if fail_first_send:
        page.wait_for_selector("[data-retry]")
        drv.click("[data-retry]")
    page.wait_for_selector("[data-testid=case-status]")
    wait_status(page, "Draf")
    k.number = re.search(r"SLRT-\d{4}-\d{4}-\d{6}", page.inner_text("main h1")).group(0)  # type: ignore[union-attr]
    k.case_id = page.url.rsplit("/", 1)[1]
    return k


def _lose_the_first_answer(page: Any) -> None:
    """The hub records the keluhan, but its answer never reaches the browser (a dropped line)."""
    lost = {"done": False}

    def handle(route: Any) -> None:
        body = route.request.post_data or ""
        if not lost["done"] and "recordCase" in body:
            lost["done"] = True
            route.fetch()  # the hub gets the request and records the case
            route.abort("connectionreset")
            return
        route.continue_()

    page.route("**/graphql", handle)


def act(page: Any, drv: Any, action: str, note: str | None = None) -> None:
    drv.click(f"[data-action={action}]")
    if note is not None:
        drv.fill("#action-note", note)
        drv.click(".note-form button[type=submit]")


def open_from_queue(page: Any, drv: Any, number: str) -> None:
    page.wait_for_selector(f"tr[data-case='{number}'] a")
    drv.click(f"tr[data-case='{number}'] a")
    page.wait_for_selector("[data-testid=case-status]")


def walk_the_loop(page: Any, drv: Any, demo: Any, seed: int) -> Keluhan:
    sign_in(page, drv, "fasilitator-jakasampurna")
    k = record_keluhan(page, drv, seed)
    act(page, drv, "SUBMIT")
    wait_status(page, "Diajukan")
    sign_out(page, drv)

    sign_in(page, drv, "supervisor-bekasi-barat")
    open_from_queue(page, drv, k.number)
    act(page, drv, "APPROVE", "Data lengkap, layak diteruskan")
    wait_status(page, "Disetujui")
    sign_out(page, drv)

    sign_in(page, drv, "front-office")
    open_from_queue(page, drv, k.number)
    drv.click("[data-action=REVIEW]")
    drv.fill("#review-note", "Layak bantuan modal usaha mikro")
    drv.click("form[aria-labelledby=review-title] button[type=submit]")
    wait_status(page, "Ditelaah")
    sign_out(page, drv)

    sign_in(page, drv, "back-office")
    open_from_queue(page, drv, k.number)
    drv.click("[data-action=REFER]")
    page.wait_for_selector("#refer-programme option[value=MODAL_USAHA]", state="attached")
    drv.choose("#refer-programme", "MODAL_USAHA")
    drv.fill("#refer-reason", "Usaha warung keluarga, layak modal usaha mikro")
    drv.click("form[aria-labelledby=refer-title] button[type=submit]")
    wait_status(page, "Dirujuk")
    card = page.locator("[data-programme=MODAL_USAHA] [data-testid=delivery-state]")
    assert card.inner_text() == "Lewat kotak rujukan (portal)"
    sign_out(page, drv)

    sign_in(page, drv, "dinas-koperasi")
    mine = f"article[data-case-number='{k.number}']"
    page.wait_for_selector(mine)
    drv.click(f"{mine} [data-move=ACCEPTED]")
    drv.fill(f"{mine} form input", "DINKOP-2026-0001")
    drv.click(f"{mine} form button[type=submit]")
    page.wait_for_selector(mine, state="detached")  # no longer new
    drv.tab("#tab-tabOpen")
    page.wait_for_selector(f"{mine} [data-move=COMPLETED]")
    drv.click(f"{mine} [data-move=COMPLETED]")
    drv.fill(f"{mine} form input", "Modal usaha Rp2.000.000 disalurkan")
    drv.click(f"{mine} form button[type=submit]")
    page.wait_for_selector(mine, state="detached")
    drv.tab("#tab-tabDone")
    page.wait_for_selector(f"{mine} [data-testid=referral-status]:text-is('Selesai')")
    sign_out(page, drv)

    sign_in(page, drv, "back-office")
    go(page, drv, "rujukan", "Pelacakan rujukan")
    drv.click(f"[data-testid=referrals] tr[data-case-number='{k.number}'] a")
    page.wait_for_selector("[data-testid=case-status]")
    wait_status(page, "Selesai")
    return k


__all__ = ["Sex", "make_nik"]
