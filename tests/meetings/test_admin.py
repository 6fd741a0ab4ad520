import datetime

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, HelpRequest, Round

MODELS = {"round": Round, "helprequest": HelpRequest, "agendaitem": AgendaItem}


@pytest.fixture
def rows(meeting_round, world):
    p = world.p
    HelpRequest.objects.create(
        school=p.school,
        group=p.group_a,
        title="Chauffeurs museum",
        date=datetime.date(2027, 3, 12),
        closes_at=meeting_round.closes_at,
    )
    AgendaItem.objects.create(
        school=p.school, title="Studiedag Alpha", date=datetime.date(2027, 4, 2)
    )


@pytest.mark.parametrize("model", sorted(MODELS))
def test_admin_lists_are_scoped_and_read_only(rows, world, login, model):
    p = world.p
    obj = MODELS[model].objects.get()
    changelist = reverse(f"admin:meetings_{model}_changelist")
    change = reverse(f"admin:meetings_{model}_change", args=[obj.pk])
    own = login(p.admin)
    assert str(obj) in own.get(changelist).content.decode()
    assert own.get(change).status_code == 200
    assert own.get(reverse(f"admin:meetings_{model}_add")).status_code == 403
    other = login(p.other_admin)
    assert str(obj) not in other.get(changelist).content.decode()
    # Django admin answers a missing object with a redirect to the index and a message.
    assert other.get(change).status_code == 302


def test_parents_have_no_admin(rows, world, login):
    response = login(world.p.parent_a).get(reverse("admin:meetings_round_changelist"))
    assert response.status_code == 302
