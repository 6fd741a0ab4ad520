import csv
import io

import pytest
from playwright.sync_api import expect

from tests.absences.conftest import NORMAL_MONDAY

pytestmark = pytest.mark.browser


def _log_in_as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(user.email)


def test_parent_reports_teacher_sees_administration_exports(page, browser_login, personas, clock):
    clock(NORMAL_MONDAY, 8, 0)
    _log_in_as(page, browser_login, personas.parent_a)
    page.get_by_role("link", name="Absenties").click()
    page.get_by_role("link", name="Absentie melden").click()
    expect(page.get_by_text("Meld een absentie voor vandaag vóór 08:15")).to_be_visible()
    page.get_by_label("Daan").check()
    page.get_by_label("Ziek", exact=True).check()
    page.get_by_label("Eerste dag").fill(NORMAL_MONDAY.isoformat())
    page.get_by_label("Bericht voor de leerkracht (niet verplicht)").fill("Koorts")
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("status").get_by_text("Absentie gemeld voor Daan.")).to_be_visible()

    clock(NORMAL_MONDAY, 8, 20)
    page.goto("/absences/new/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("de leerkracht ziet een melding voor vandaag niet meer op tijd")
    assert alert.get_by_role("link", name="+31 20 555 0000").get_attribute("href") == (
        "tel:+31205550000"
    )

    _log_in_as(page, browser_login, personas.teacher_a)
    panel = page.locator(".absences-home")
    panel.locator(".absent-today").wait_for()
    expect(panel).to_contain_text("Daan")
    expect(panel).to_contain_text("Gemeld door Sanne Parent")

    _log_in_as(page, browser_login, personas.admin)
    page.goto(f"/absences/schools/{personas.school.pk}/day/")
    expect(page.get_by_role("row", name="Daan")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als CSV").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[1][2] == "Daan"
    assert rows[1][12] == "Koorts"


def test_parent_withdraws_a_planned_appointment(page, browser_login, personas, clock):
    clock(NORMAL_MONDAY, 19, 0)
    _log_in_as(page, browser_login, personas.parent_a)
    page.goto("/absences/new/")
    page.get_by_label("Daan").check()
    page.get_by_label("Afspraak (huisarts, tandarts…)").check()
    page.get_by_label("Eerste dag").fill("2026-11-25")
    page.get_by_label("Ochtend").check()
    page.get_by_role("button", name="Melding versturen").click()
    page.get_by_role("button", name="Melding voor Daan intrekken").click()
    expect(
        page.get_by_role("status").get_by_text("De melding voor Daan is ingetrokken.")
    ).to_be_visible()
    expect(page.get_by_text("Ingetrokken", exact=True)).to_be_visible()


def test_administration_enters_a_phone_report_the_teacher_sees_in_the_week(
    page, browser_login, personas, clock
):
    clock(NORMAL_MONDAY, 8, 35)
    _log_in_as(page, browser_login, personas.admin)
    page.get_by_role("link", name="Absenties").click()
    page.get_by_role("link", name="Telefonische melding invoeren").click()
    page.get_by_label("Kind en de ouder/verzorger die belde").select_option(
        label=f"{personas.child_a.full_name} (Groep 5a) – Tom Separated"
    )
    page.get_by_label("Ziek", exact=True).check()
    page.get_by_role("button", name="Melding vastleggen").click()
    expect(
        page.get_by_role("row", name="Daan").get_by_text("Telefonisch gemeld door Tom")
    ).to_be_visible()

    _log_in_as(page, browser_login, personas.teacher_a)
    page.get_by_role("link", name="Weekoverzicht van Groep 5a").click()
    expect(page.get_by_role("row", name="Daan")).to_contain_text("Ziek · te laat")
