"""Django admin for a school's administration: only their own school's rows."""

import pytest
from django.urls import reverse

from groups.models import Child, Group, School, StaffMembership

MODELS = [
    ("school", School, "school"),
    ("group", Group, "group_a"),
    ("child", Child, "child_a"),
]


def _url(model, action, *args):
    return reverse(f"admin:groups_{model._meta.model_name}_{action}", args=args)


@pytest.mark.parametrize(("name", "model", "own"), MODELS)
def test_admin_sees_own_school_rows(personas, login, name, model, own):
    client = login(personas.admin)
    obj = getattr(personas, own)
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(("name", "model", "own"), MODELS)
def test_other_school_admin_gets_missing(personas, login, name, model, own):
    client = login(personas.other_admin)
    obj = getattr(personas, own)
    response = client.get(_url(model, "change", obj.pk))
    # Django admin answers a missing object with a redirect to the index and a message.
    assert response.status_code == 302
    changelist = client.get(_url(model, "changelist")).content.decode()
    assert str(obj) not in changelist


def test_staff_membership_changelist_scoped(personas, login):
    client = login(personas.other_admin)
    content = client.get(_url(StaffMembership, "changelist")).content.decode()
    assert personas.teacher_a.full_name not in content


@pytest.mark.parametrize("persona", ["teacher_a", "parent_a", "direction"])
def test_wrong_role_has_no_admin(personas, login, persona):
    client = login(getattr(personas, persona))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_admin_cannot_create_or_delete_schools(personas, login):
    client = login(personas.admin)
    assert client.get(_url(School, "add")).status_code == 403
    assert client.get(_url(School, "delete", personas.school.pk)).status_code == 403


def _policy_form(client, url, **changes):
    """The school's change form as the browser would post it, with some fields changed."""
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update({"digest_time": "16:00", "reminder_time": "09:00", "absence_cutoff": "08:15"})
    data.update(changes)
    return data


def test_admin_edits_policy_of_own_school(personas, login):
    client = login(personas.admin)
    url = _url(School, "change", personas.school.pk)
    data = _policy_form(
        client,
        url,
        absence_cutoff="08:30",
        staff_hours_start="08:00",
        staff_hours_end="16:30",
        staff_workdays=["1", "2", "3", "4"],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    personas.school.refresh_from_db()
    assert personas.school.absence_cutoff.strftime("%H:%M") == "08:30"
    assert personas.school.staff_workdays == [1, 2, 3, 4]


def test_bad_policy_is_refused_with_message(personas, login):
    client = login(personas.admin)
    url = _url(School, "change", personas.school.pk)
    data = _policy_form(
        client, url, staff_hours_start="17:00", staff_hours_end="08:00", staff_workdays=["1"]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "De bereikbaarheid moet eindigen na het begin." in response.content.decode()
    personas.school.refresh_from_db()
    assert personas.school.staff_hours_start.hour == 8


def test_superuser_sees_every_school(personas, client, django_user_model):
    django_user_model.objects.create_superuser("root@example.org", "long-enough-password")
    client.login(username="root@example.org", password="long-enough-password")
    content = client.get(_url(School, "changelist")).content.decode()
    assert "Alpha school" in content
    assert "Beta school" in content
