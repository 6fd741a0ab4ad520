import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD


@pytest.fixture
def api():
    return APIClient()


def _ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    "url",
    ["api-me", "api-group-list", "api-child-list"],
)
def test_anonymous_gets_401(api, db, url):
    response = api.get(reverse(url))
    assert response.status_code == 401


@pytest.mark.parametrize("url", ["api-group-detail", "api-child-detail"])
def test_anonymous_detail_gets_401(api, personas, url):
    response = api.get(reverse(url, args=[personas.group_a.pk]))
    assert response.status_code == 401


def test_me(api, personas):
    api.force_authenticate(personas.multi_school_parent)
    data = api.get(reverse("api-me")).json()
    assert data["email"] == "multi@example.org"
    assert set(data["child_ids"]) == {personas.child_a2.pk, personas.child_x.pk}
    assert data["memberships"] == []


def test_me_for_staff_lists_roles(api, personas):
    api.force_authenticate(personas.teacher_a)
    data = api.get(reverse("api-me")).json()
    assert data["memberships"] == [
        {
            "school": {"id": personas.school.pk, "name": "Alpha school", "slug": "alpha"},
            "role": "teacher",
            "group_ids": [personas.group_a.pk],
        }
    ]


def test_parent_lists_only_own_groups_and_children(api, personas):
    api.force_authenticate(personas.parent_a)
    assert _ids(api.get(reverse("api-group-list"))) == {personas.group_a.pk}
    assert _ids(api.get(reverse("api-child-list"))) == {personas.child_a.pk}


def test_admin_lists_whole_school_only(api, personas):
    api.force_authenticate(personas.admin)
    assert _ids(api.get(reverse("api-group-list"))) == {personas.group_a.pk, personas.group_b.pk}
    assert personas.child_x.pk not in _ids(api.get(reverse("api-child-list")))


@pytest.mark.parametrize(
    ("persona", "url", "target", "status"),
    [
        ("parent_a", "api-group-detail", "group_a", 200),  # allowed
        ("parent_a", "api-group-detail", "group_b", 404),  # outsider: same as missing
        ("parent_b", "api-child-detail", "child_a", 404),  # outsider
        ("teacher_a", "api-child-detail", "child_a", 200),  # allowed
        ("teacher_a", "api-child-detail", "child_b", 404),  # staff of another group
        ("direction", "api-child-detail", "child_a", 404),  # wrong role: direction is no admin
        ("other_admin", "api-group-detail", "group_a", 404),  # admin of another school
        ("blocked_parent_a", "api-child-detail", "child_a", 404),  # custody flag
    ],
)
def test_detail_access(api, personas, persona, url, target, status):
    api.force_authenticate(getattr(personas, persona))
    response = api.get(reverse(url, args=[getattr(personas, target).pk]))
    assert response.status_code == status


def test_missing_detail_is_404(api, personas):
    api.force_authenticate(personas.admin)
    assert api.get(reverse("api-child-detail", args=[987654])).status_code == 404


def test_token_authentication(api, personas):
    response = api.post(
        reverse("api-token"), {"username": personas.parent_a.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=personas.parent_a).key == token
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get(reverse("api-me")).json()["email"] == personas.parent_a.email


def test_token_with_bad_password_is_refused(api, personas):
    response = api.post(
        reverse("api-token"), {"username": personas.parent_a.email, "password": "wrong"}
    )
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_schema_and_docs_need_login(client, personas, login):
    assert client.get(reverse("api-schema")).status_code == 401
    assert client.get(reverse("api-docs")).status_code == 302
    login(personas.parent_a)
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200
    assert b"/api/v1/children/" in schema.content
    assert client.get(reverse("api-docs")).status_code == 200


@pytest.mark.parametrize("size", [1, 15])
def test_child_list_query_count_is_constant(api, personas, django_assert_num_queries, size):
    from tests.factories import ChildFactory

    ChildFactory.create_batch(size, group=personas.group_a)
    api.force_authenticate(personas.admin)
    with django_assert_num_queries(1):
        response = api.get(reverse("api-child-list"))
    assert response.status_code == 200
