"""The school's administration sees its school's media in admin and can take items down."""

from django.urls import reverse

from media_sharing.models import MediaItem

LIST = reverse("admin:media_sharing_mediaitem_changelist")


def test_administration_sees_only_its_own_schools_items(personas, login, make_item):
    mine = make_item()
    other = make_item(group=personas.group_x)
    html = login(personas.admin).get(LIST).content.decode()
    assert reverse("admin:media_sharing_mediaitem_change", args=[mine.pk]) in html
    assert reverse("admin:media_sharing_mediaitem_change", args=[other.pk]) not in html
    response = login(personas.admin).get(
        reverse("admin:media_sharing_mediaitem_change", args=[other.pk])
    )
    assert response.status_code == 302  # Django admin's "does not exist" redirect


def test_take_down_removes_the_item_and_its_files(
    personas, login, make_item, django_capture_on_commit_callbacks
):
    item = make_item()
    other = make_item(group=personas.group_x)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(personas.admin).post(
            LIST, {"action": "take_down", "_selected_action": [item.pk, other.pk]}
        )
    assert response.status_code == 302
    assert list(MediaItem.objects.all()) == [other]


def test_parents_and_teachers_have_no_media_admin(personas, login):
    for person in (personas.parent_a, personas.teacher_a):
        assert login(person).get(LIST).status_code == 302
