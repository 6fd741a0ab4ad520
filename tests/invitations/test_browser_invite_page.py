"""A teacher invites a parent of a child in their own group, from the home page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_teacher_invites_parent_from_home(page, personas, browser_login):
    browser_login(personas.teacher_a.email)
    page.get_by_role("link", name="Ouder uitnodigen").click()
    child = page.get_by_label("Kind")
    expect(child).not_to_contain_text("Sem")  # not the teacher's group
    child.select_option(label=f"Daan {personas.child_a.last_name} (Groep 5a)")
    page.get_by_label("E-mailadres van de ouder/verzorger").fill("nieuwe.ouder@example.org")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("Uitnodiging voor Daan verstuurd naar nieuwe.ouder@example.org.").wait_for()
    invitations = page.get_by_role("region", name="Uitnodigingen")
    expect(invitations).to_contain_text("nieuwe.ouder@example.org")
    expect(invitations).to_contain_text("Verstuurd")
    assert mail.outbox[-1].to == ["nieuwe.ouder@example.org"]
