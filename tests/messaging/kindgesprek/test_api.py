import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from messaging.kindgesprek.models import Message, MessageRead

from .conftest import MONDAY_MORNING, THAT_MONDAY

pytestmark = pytest.mark.clock(THAT_MONDAY)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def thread(personas, send, frozen):
    with frozen(MONDAY_MORNING):
        return send(personas.parent_a, personas.child_a, "Daan is jarig!").thread


def _urls(thread, child):
    return [
        ("get", reverse("api-kindgesprek-thread-list")),
        ("get", reverse("api-kindgesprek-message-list", args=[thread.pk])),
        ("post", reverse("api-kindgesprek-message-list", args=[thread.pk])),
        ("post", reverse("api-kindgesprek-mark-read", args=[thread.pk])),
        ("post", reverse("api-kindgesprek-message-create", args=[child.pk])),
    ]


def test_anonymous_gets_401(api, personas, thread):
    for method, url in _urls(thread, personas.child_a):
        assert getattr(api, method)(url, {"body": "x"}).status_code == 401


def test_thread_list(api, personas, thread, frozen):
    for who, expected in [
        (personas.parent_a, [thread.pk]),
        (personas.separated_parent_a, [thread.pk]),
        (personas.assistant_a, [thread.pk]),
        (personas.blocked_parent_a, []),
        (personas.parent_b, []),
        (personas.admin, []),
    ]:
        api.force_authenticate(who)
        with frozen(MONDAY_MORNING):
            rows = api.get(reverse("api-kindgesprek-thread-list")).json()["results"]
        assert [row["id"] for row in rows] == expected
    api.force_authenticate(personas.teacher_a)
    with frozen(MONDAY_MORNING):
        row = api.get(reverse("api-kindgesprek-thread-list")).json()["results"][0]
    assert row["child"] == {"id": personas.child_a.pk, "first_name": "Daan", "group": "Groep 5a"}
    assert row["unread"] == 1


def test_messages_list_and_create(api, personas, thread, frozen):
    api.force_authenticate(personas.teacher_a)
    url = reverse("api-kindgesprek-message-list", args=[thread.pk])
    with frozen(MONDAY_MORNING):
        response = api.post(url, {"body": "Gefeliciteerd!"}, format="json")
        assert response.status_code == 201
        assert response.json()["author_side"] == "staff"
        rows = api.get(url).json()["results"]
    assert [row["body"] for row in rows] == ["Daan is jarig!", "Gefeliciteerd!"]


def test_first_message_through_the_child_endpoint(api, personas, frozen):
    api.force_authenticate(personas.multi_school_parent)
    with frozen(MONDAY_MORNING):
        response = api.post(
            reverse("api-kindgesprek-message-create", args=[personas.child_a2.pk]),
            {"body": "Mila is ziek."},
            format="json",
        )
    assert response.status_code == 201
    assert Message.objects.get().thread.child == personas.child_a2


def test_empty_message_is_a_400_with_a_dutch_message(api, personas, thread):
    api.force_authenticate(personas.parent_a)
    response = api.post(
        reverse("api-kindgesprek-message-list", args=[thread.pk]), {"body": ""}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"body": ["Schrijf een bericht voordat u verstuurt."]}
    assert Message.objects.count() == 1


def test_mark_read(api, personas, thread, frozen):
    api.force_authenticate(personas.teacher_a)
    with frozen(MONDAY_MORNING):
        response = api.post(reverse("api-kindgesprek-mark-read", args=[thread.pk]))
    assert response.json() == {"marked": 1}
    assert MessageRead.objects.get().user == personas.teacher_a


@pytest.mark.parametrize(
    "who", ["blocked_parent_a", "parent_b", "direction", "admin", "other_admin", "outsider"]
)
def test_outsiders_and_wrong_roles_get_404(api, personas, thread, who):
    api.force_authenticate(getattr(personas, who))
    for method, url in _urls(thread, personas.child_a)[1:]:
        assert getattr(api, method)(url, {"body": "x"}, format="json").status_code == 404
    missing = reverse("api-kindgesprek-message-list", args=[99999])
    assert api.get(missing).status_code == 404
    assert Message.objects.count() == 1
    assert not MessageRead.objects.exists()


def test_schema_describes_the_endpoints(api, personas):
    api.force_authenticate(personas.parent_a)
    schema = api.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert "/api/v1/kindgesprek/threads/" in paths
    post = paths["/api/v1/kindgesprek/children/{child_id}/messages/"]["post"]
    assert post["summary"] == "Write in a child's kindgesprek"
