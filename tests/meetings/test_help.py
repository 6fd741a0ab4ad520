import datetime
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from meetings.models import HelpReminder, HelpRequest, HelpSignup
from meetings.services import help as services
from meetings.tasks import send_help_reminders
from tests.conftest import require_postgres
from tests.factories import ChildFactory, GuardianshipFactory, UserFactory

from .conftest import AMS

TRIP_DAY = datetime.date(2027, 3, 28)  # the Sunday summer time starts
CLOSES = datetime.datetime(2027, 3, 20, 12, 0, tzinfo=AMS)
BEFORE_CLOSE = datetime.datetime(2027, 3, 10, 9, 0, tzinfo=AMS)


def _trip(personas, **overrides):
    kwargs = {
        "actor": personas.teacher_a,
        "group": personas.group_a,
        "title": "Museumbezoek",
        "description": "Verzamelen om 8:30",
        "date": TRIP_DAY,
        "closes_at": CLOSES,
        "roles": [("chauffeurs", 2), ("begeleiders", 1)],
    }
    kwargs.update(overrides)
    return services.help_request_create(**kwargs)


@pytest.fixture
def trip(personas):
    return _trip(personas)


def _role(trip, name):
    return trip.roles.get(name=name)


def test_teacher_posts_a_request_with_roles(trip):
    assert [(r.name, r.needed) for r in trip.roles.all()] == [("chauffeurs", 2), ("begeleiders", 1)]


def test_teacher_cannot_ask_for_another_group(personas):
    with pytest.raises(PermissionDenied):
        _trip(personas, group=personas.group_b)
    assert HelpRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"roles": []}, "roles"),
        ({"roles": [("chauffeurs", 0)]}, "roles"),
        ({"closes_at": datetime.datetime(2027, 3, 29, 0, 0, tzinfo=AMS)}, "closes_at"),
    ],
)
def test_bad_requests_save_nothing(personas, overrides, field):
    with pytest.raises(ValidationError) as info:
        _trip(personas, **overrides)
    assert field in info.value.message_dict
    assert HelpRequest.objects.count() == 0


def test_sign_up_until_full_then_a_clear_message(trip, personas):
    role = _role(trip, "begeleiders")
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        services.help_signup(actor=personas.parent_a, role=role)
        with pytest.raises(ValidationError) as info:
            services.help_signup(actor=personas.multi_school_parent, role=role)
    assert "Alle 1 plaatsen voor begeleiders zijn al bezet" in info.value.messages[0]
    assert HelpSignup.objects.count() == 1


def test_signing_up_twice_is_refused(trip, personas):
    role = _role(trip, "chauffeurs")
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        services.help_signup(actor=personas.parent_a, role=role)
        with pytest.raises(ValidationError):
            services.help_signup(actor=personas.parent_a, role=role)
    assert HelpSignup.objects.count() == 1


def test_parent_of_another_group_cannot_sign_up(trip, personas):
    with time_machine.travel(BEFORE_CLOSE, tick=False), pytest.raises(PermissionDenied):
        services.help_signup(actor=personas.parent_b, role=_role(trip, "chauffeurs"))


def test_withdraw_before_close_but_not_after(trip, personas):
    role = _role(trip, "chauffeurs")
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        first = services.help_signup(actor=personas.parent_a, role=role)
        services.help_withdraw(actor=personas.parent_a, signup=first)
        second = services.help_signup(actor=personas.parent_a, role=role)
    with time_machine.travel(CLOSES, tick=False):
        with pytest.raises(ValidationError) as info:
            services.help_withdraw(actor=personas.parent_a, signup=second)
        with pytest.raises(ValidationError):
            services.help_signup(actor=personas.multi_school_parent, role=role)
    assert "gesloten" in info.value.messages[0]
    assert list(HelpSignup.objects.all()) == [second]


def test_reminder_goes_out_once_the_day_before(trip, personas, django_capture_on_commit_callbacks):
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        services.help_signup(actor=personas.parent_a, role=_role(trip, "chauffeurs"))
        services.help_signup(actor=personas.parent_a, role=_role(trip, "begeleiders"))
        services.help_signup(actor=personas.multi_school_parent, role=_role(trip, "chauffeurs"))
    two_days_before = datetime.datetime(2027, 3, 26, 18, 0, tzinfo=AMS)
    day_before_late = datetime.datetime(2027, 3, 27, 23, 30, tzinfo=AMS)
    with time_machine.travel(two_days_before, tick=False):
        assert send_help_reminders.delay().get() == 0
    with (
        time_machine.travel(day_before_late, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_help_reminders.delay().get() == 2
        assert send_help_reminders.delay().get() == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        personas.multi_school_parent.email,
        personas.parent_a.email,
    ]
    assert "Herinnering: morgen Museumbezoek" in mail.outbox[0].subject
    assert HelpReminder.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_parallel_sign_ups_never_exceed_the_number_needed(personas):
    require_postgres()
    trip = _trip(personas)
    role = _role(trip, "chauffeurs")
    parents = []
    for n in range(8):
        parent = UserFactory(email=f"helper{n}@example.org")
        GuardianshipFactory(guardian=parent, child=ChildFactory(group=personas.group_a))
        parents.append(parent)
    barrier = threading.Barrier(len(parents))
    outcomes = []

    def sign_up(parent):
        try:
            barrier.wait()
            with time_machine.travel(BEFORE_CLOSE, tick=False):
                services.help_signup(actor=parent, role=role)
            outcomes.append("in")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_up, args=(parent,)) for parent in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("in") == 2
    assert outcomes.count("full") == 6
    assert HelpSignup.objects.filter(role=role).count() == 2


# --- Pages ----------------------------------------------------------------------------------


def test_teacher_posts_through_the_form(personas, login):
    response = login(personas.teacher_a).post(
        reverse("meetings:help-create"),
        {
            "group": personas.group_a.pk,
            "title": "Museumbezoek",
            "date": "2027-03-12",
            "closes_at": "2027-03-10T12:00",
            "roles": "2 chauffeurs\n4 begeleiders",
        },
    )
    request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert [(r.name, r.needed) for r in request.roles.all()] == [
        ("chauffeurs", 2),
        ("begeleiders", 4),
    ]
    assert request.closes_at == datetime.datetime(2027, 3, 10, 12, 0, tzinfo=AMS)


def test_bad_roles_in_the_form_are_a_clear_message(personas, login):
    response = login(personas.teacher_a).post(
        reverse("meetings:help-create"),
        {
            "group": personas.group_a.pk,
            "title": "Museumbezoek",
            "date": "2027-03-12",
            "closes_at": "2027-03-10T12:00",
            "roles": "chauffeurs",
        },
    )
    assert response.status_code == 400
    assert "Schrijf elke taak als een aantal en een naam" in response.content.decode()
    assert HelpRequest.objects.count() == 0


def test_parent_cannot_open_the_help_form(personas, login):
    assert login(personas.parent_a).get(reverse("meetings:help-create")).status_code == 403


def test_parent_signs_up_and_withdraws_through_the_page(trip, personas, login):
    url = reverse("meetings:help", args=[trip.pk])
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        client = login(personas.parent_a)
        assert "Nog 2 mensen nodig" in client.get(url).content.decode()
        role = _role(trip, "chauffeurs")
        response = client.post(reverse("meetings:help-signup", args=[role.pk]), follow=True)
        content = response.content.decode()
        assert "Bedankt! U bent aangemeld als chauffeurs." in content
        assert "Nog 1 persoon nodig" in content
        signup = HelpSignup.objects.get()
        client.post(reverse("meetings:help-withdraw", args=[signup.pk]))
    assert HelpSignup.objects.count() == 0


def test_only_staff_see_who_signed_up(trip, personas, login):
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        services.help_signup(actor=personas.parent_a, role=_role(trip, "chauffeurs"))
    url = reverse("meetings:help", args=[trip.pk])
    assert personas.parent_a.full_name in login(personas.teacher_a).get(url).content.decode()
    other = login(personas.multi_school_parent).get(url).content.decode()
    assert personas.parent_a.full_name not in other


@pytest.mark.parametrize("persona", ["outsider", "parent_b", "other_admin", "blocked_parent_a"])
def test_outsiders_get_404_everywhere(trip, personas, login, persona):
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        signup = services.help_signup(actor=personas.parent_a, role=_role(trip, "chauffeurs"))
    client = login(getattr(personas, persona))
    role = _role(trip, "begeleiders")
    assert client.get(reverse("meetings:help", args=[trip.pk])).status_code == 404
    assert client.post(reverse("meetings:help-signup", args=[role.pk])).status_code == 404
    assert client.post(reverse("meetings:help-withdraw", args=[signup.pk])).status_code == 404
    assert HelpSignup.objects.count() == 1


def test_staff_cannot_sign_up_as_a_parent(trip, personas, login):
    role = _role(trip, "chauffeurs")
    with time_machine.travel(BEFORE_CLOSE, tick=False):
        response = login(personas.teacher_a).post(reverse("meetings:help-signup", args=[role.pk]))
    assert response.status_code == 403
    assert HelpSignup.objects.count() == 0
