"""In a real browser: the flows of the meeting planner and help requests, as their people."""

import datetime
import re

import pytest
import time_machine
from playwright.sync_api import expect

from meetings.models import Booking, HelpSignup, Round
from meetings.services import help as help_services
from meetings.services import rounds as services

from .conftest import AFTER_OPENING, AMS, DURING_HEAD_START, World

pytestmark = pytest.mark.browser


@pytest.fixture
def world(personas, transactional_db):
    return World(personas)


def _slot(round_, group, hour, minute):
    return round_.slots.get(
        group=group, starts_at=datetime.datetime(2027, 3, 30, hour, minute, tzinfo=AMS)
    )


def _fill_times(fieldset, group, staff, room):
    fieldset.get_by_label("Groep", exact=True).select_option(label=group)
    fieldset.get_by_label("Medewerker").select_option(label=staff)
    fieldset.get_by_label("Lokaal").fill(room)
    fieldset.get_by_label("Dag").fill("2027-03-30")
    fieldset.get_by_label("Van", exact=True).fill("15:00")
    fieldset.get_by_label("Tot", exact=True).fill("16:00")


def test_direction_opens_a_round_for_two_groups(world, page, browser_login):
    p = world.p
    browser_login(p.direction.email)
    page.get_by_role("link", name="Gesprekken").click()
    page.get_by_role("link", name="Gespreksronde plannen").click()
    page.get_by_label("Titel").fill("Rapportgesprekken")
    page.get_by_label("Minuten per gesprek").fill("10")
    page.get_by_label(str(p.group_a)).check()
    page.get_by_label(str(p.group_b)).check()
    page.get_by_label("Inschrijving opent").fill("2027-03-01T19:00")
    page.get_by_label("Vroege opening").fill("2027-03-01T18:00")
    page.get_by_label("Inschrijving sluit").fill("2027-03-20T12:00")
    _fill_times(page.get_by_role("group", name="Tijden 1"), str(p.group_a), "Anna Teacher", "5")
    _fill_times(page.get_by_role("group", name="Tijden 2"), str(p.group_b), "Bram Teacher", "6")
    page.get_by_role("button", name="Ronde openen").click()
    expect(page.get_by_role("heading", name="Rapportgesprekken")).to_be_visible()
    expect(page.get_by_text("De ronde is gepland en de gezinnen zijn uitgenodigd.")).to_be_visible()
    expect(page.get_by_text(p.child_b.full_name)).to_be_visible()  # not booked yet
    round_ = Round.objects.get()
    assert round_.slots.count() == 12
    assert set(round_.groups.all()) == {p.group_a, p.group_b}


def test_parent_with_two_children_books_back_to_back_during_the_head_start(
    world, page, browser_login
):
    round_ = world.make_round()
    with time_machine.travel(DURING_HEAD_START):
        browser_login(world.two_group_parent.email)
        page.goto(f"/meetings/rounds/{round_.pk}/")
        expect(page.get_by_text("mag daarom al vanaf")).to_be_visible()
        finn = page.get_by_role("region", name=re.compile("^Finn"))
        finn.get_by_role("button", name=re.compile("15:20–15:30")).click()
        expect(page.get_by_text("Het gesprek over Finn")).to_be_visible()
        fleur = page.get_by_role("region", name=re.compile("^Fleur"))
        expect(fleur.get_by_role("heading", name="Aansluitend op een broer of zus")).to_be_visible()
        fleur.locator(".slot-suggested", has_text="15:30–15:40").click()
        fleur = page.get_by_role("region", name=re.compile("^Fleur"))
        expect(fleur.get_by_text(re.compile("Gepland:.*15:30–15:40"))).to_be_visible()
    starts = sorted(
        b.slot.starts_at.astimezone(AMS).strftime("%H:%M") for b in Booking.objects.all()
    )
    assert starts == ["15:20", "15:30"]


def test_parent_finds_a_slot_taken_and_books_the_suggested_one(world, page, browser_login):
    p = world.p
    round_ = world.make_round()
    with time_machine.travel(AFTER_OPENING):
        browser_login(p.parent_a.email)
        page.goto(f"/meetings/rounds/{round_.pk}/")
        daan = page.get_by_role("region", name=re.compile("^Daan"))
        wanted = daan.get_by_role("button", name=re.compile("15:00–15:10"))
        expect(wanted).to_be_visible()
        # Someone else is faster while Sanne is still looking.
        services.booking_create(
            actor=p.multi_school_parent, slot=_slot(round_, p.group_a, 15, 0), child=p.child_a2
        )
        wanted.click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Dat tijdstip is net bezet")
        alert.get_by_role("button", name=re.compile("15:10–15:20")).click()
        expect(page.get_by_text("Het gesprek over Daan")).to_be_visible()
    booking = Booking.objects.get(child=p.child_a)
    assert booking.slot.starts_at.astimezone(AMS).strftime("%H:%M") == "15:10"


def test_parent_signs_up_for_the_excursion(world, page, browser_login):
    p = world.p
    help_services.help_request_create(
        actor=p.teacher_a,
        group=p.group_a,
        title="Museumbezoek",
        date=datetime.date(2027, 3, 12),
        closes_at=datetime.datetime(2027, 3, 10, 12, 0, tzinfo=AMS),
        roles=[("chauffeurs", 2), ("begeleiders", 4)],
    )
    with time_machine.travel(AFTER_OPENING):
        browser_login(p.parent_a.email)
        page.get_by_role("link", name="Gesprekken").click()
        page.get_by_role("link", name="Museumbezoek").click()
        page.get_by_role("button", name="Aanmelden als chauffeurs").click()
        expect(page.get_by_text("Bedankt! U bent aangemeld als chauffeurs.")).to_be_visible()
        expect(page.get_by_text("Nog 1 persoon nodig")).to_be_visible()
    assert HelpSignup.objects.get().parent == p.parent_a
