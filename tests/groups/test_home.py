import pytest
from django.urls import reverse

from tests.factories import ChildFactory, GroupFactory, GuardianshipFactory


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_parent_sees_own_children_and_their_groups(personas, login):
    response = login(personas.multi_school_parent).get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert personas.child_a2.first_name in content
    assert personas.child_x.first_name in content
    assert personas.group_a.name in content
    assert personas.group_x.name in content
    assert personas.child_b.first_name not in content


def test_blocked_parent_sees_no_child(personas, login):
    content = login(personas.blocked_parent_a).get(reverse("home")).content.decode()
    assert personas.child_a.first_name not in content
    assert "nog niet gekoppeld" in content


def test_teacher_sees_their_groups(personas, login):
    content = login(personas.teacher_a).get(reverse("home")).content.decode()
    assert personas.group_a.name in content
    assert personas.group_b.name not in content


def test_administration_sees_link_to_admin(personas, login):
    content = login(personas.admin).get(reverse("home")).content.decode()
    assert reverse("admin:index") in content


def test_home_is_dutch_by_default_and_english_on_request(personas, login):
    client = login(personas.parent_a)
    assert "Uw kinderen" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.preferred_language == "en"
    assert "Your children" in client.get(reverse("home")).content.decode()


def test_unknown_language_changes_nothing(personas, login):
    client = login(personas.parent_a)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert response.status_code == 302
    personas.parent_a.refresh_from_db()
    assert personas.parent_a.preferred_language == "nl"


def _family(parent, groups, children_per_group):
    for group in groups:
        for _ in range(children_per_group):
            GuardianshipFactory(guardian=parent, child=ChildFactory(group=group))


@pytest.mark.parametrize("size", [1, 12])
def test_home_query_count_is_constant(personas, login, django_assert_num_queries, size):
    """A parent with 1 or 12 children per group and staff with many groups: same count."""
    groups = [GroupFactory(school=personas.school) for _ in range(size)]
    _family(personas.parent_a, groups, size)
    personas.teacher_a.staff_memberships.get().groups.add(*groups)
    # user, children, memberships (+ their groups, for staff), kindgesprek unread; the
    # session comes from the cache
    for user, queries in ((personas.parent_a, 4), (personas.teacher_a, 5)):
        client = login(user)
        with django_assert_num_queries(queries):
            response = client.get(reverse("home"))
        assert response.status_code == 200
