"""Photos in group feed posts: the post goes through media_sharing's gate when published,
and the feed shows each photo only to those who may see it at that request."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from media_sharing.models import MediaItem
from messaging import selectors as feed_selectors
from messaging import services as feed_services
from messaging.models import Post, PostMedia


def publish(personas, items, **kwargs):
    kwargs.setdefault("group_ids", [personas.group_a.pk])
    return feed_services.post_publish(
        actor=kwargs.pop("actor", personas.teacher_a),
        school=personas.school,
        title="Het bos",
        body="Foto's van de excursie.",
        media_ids=[item.pk for item in items],
        **kwargs,
    )


def test_a_post_with_a_blocked_child_is_refused_and_nothing_is_published(
    personas, make_item, consent
):
    p = personas
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a)
    fine = make_item(published=False, tags=[p.child_a, p.child_a2][:1])
    p.school.allow_portrait_photos = True
    p.school.save()
    blocked = make_item(published=False, tags=[p.child_a, p.child_a2])
    with pytest.raises(ValidationError) as error:
        publish(p, [fine, blocked])
    [message] = error.value.message_dict["media"]
    assert message.startswith("Foto 2: Geen toestemming om Mila")
    assert not Post.objects.exists()
    assert not MediaItem.objects.filter(published_at__isnull=False).exists()


def test_a_post_with_photos_that_pass_the_gate(personas, make_item, all_consent):
    items = [make_item(published=False, tags=[personas.child_a, personas.child_a2])] * 1
    items.append(make_item(published=False))
    post = publish(personas, items)
    assert list(PostMedia.objects.filter(post=post).values_list("item_id", flat=True)) == [
        i.pk for i in items
    ]
    assert MediaItem.objects.filter(published_at=post.publish_at).count() == 2
    assert [i.pk for i in feed_selectors.post_media(personas.parent_a, post)] == [
        i.pk for i in items
    ]
    assert feed_selectors.post_media(personas.parent_b, post) == []


def test_only_own_new_photos_of_the_posts_groups(personas, make_item):
    p = personas
    other_group = make_item(published=False, group=p.group_b, uploaded_by=p.teacher_a)
    someone_elses = make_item(published=False, uploaded_by=p.assistant_a)
    already = make_item(published=True)
    for item in (other_group, someone_elses, already):
        with pytest.raises(ValidationError, match="alleen uw eigen nieuwe"):
            publish(p, [item])
    assert not Post.objects.exists()


def test_no_photos_in_a_school_wide_post(personas, make_item):
    from groups.models import StaffMembership

    p = personas
    StaffMembership.objects.filter(user=p.teacher_a).update(role=StaffMembership.Role.DIRECTION)
    item = make_item(published=False)
    with pytest.raises(ValidationError):
        publish(p, [item], group_ids=[], school_wide=True)


def test_a_scheduled_post_shares_its_photos_from_its_moment(personas, make_item):
    item = make_item(published=False)
    later = timezone.now() + datetime.timedelta(days=1)
    publish(personas, [item], publish_at=later)
    item.refresh_from_db()
    assert item.published_at == later
    assert feed_selectors.feed_page(personas.parent_a).items == []
    from media_sharing import selectors as media_selectors

    assert not media_selectors.visible_media(personas.parent_a).exists()


def test_the_feed_shows_photos_until_consent_is_withdrawn(
    personas, make_item, all_consent, consent
):
    p = personas
    tagged = make_item(published=False, tags=[p.child_a, p.child_a2])
    untagged = make_item(published=False)
    publish(p, [tagged, untagged])
    [entry] = feed_selectors.feed_page(p.parent_a).items
    assert [i.pk for i in entry.media] == [tagged.pk, untagged.pk]
    consent(p.multi_school_parent, p.child_a2, "refused")
    [entry] = feed_selectors.feed_page(p.parent_a).items
    assert [i.pk for i in entry.media] == [untagged.pk]
    [entry] = feed_selectors.feed_page(p.teacher_a).items
    assert [(i.pk, i.consent_hidden) for i in entry.media] == [
        (tagged.pk, True),
        (untagged.pk, False),
    ]


def test_a_cached_feed_card_drops_a_photo_at_once_when_consent_is_withdrawn(
    personas, login, make_item, all_consent, consent
):
    p = personas
    tagged = make_item(published=False, tags=[p.child_a, p.child_a2])
    untagged = make_item(published=False)
    publish(p, [tagged, untagged])
    client = login(p.parent_a)
    tagged_url = reverse("media_sharing:file", args=[tagged.pk, "thumbnail"])
    untagged_url = reverse("media_sharing:file", args=[untagged.pk, "thumbnail"])
    html = client.get(reverse("messaging:feed")).content.decode()
    assert tagged_url in html
    consent(p.multi_school_parent, p.child_a2, "refused")
    html = client.get(reverse("messaging:feed")).content.decode()
    assert tagged_url not in html
    assert untagged_url in html


@pytest.mark.parametrize(("posts", "photos"), [(1, 1), (20, 3)])
def test_the_feed_with_photos_keeps_a_fixed_query_count(
    personas, login, make_item, all_consent, django_assert_num_queries, posts, photos
):
    p = personas
    for _ in range(posts):
        publish(
            p, [make_item(published=False, tags=[p.child_a, p.child_a2]) for _ in range(photos)]
        )
    client = login(p.parent_a)
    client.get(reverse("messaging:feed"))  # warm the session and the badge
    # The feed's own 3, then media_sharing's check: the tags, the consent ledger (2), items.
    with django_assert_num_queries(7):
        response = client.get(reverse("messaging:feed"))
    assert response.content.count(b'class="media-thumb"') == min(posts, 20) * photos


def test_a_teacher_posts_photos_through_the_form(personas, login, make_item, consent):
    p = personas
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a)
    item = make_item(published=False, tags=[p.child_a, p.child_a2])
    client = login(p.teacher_a)
    form = client.get(reverse("messaging:post-create")).content.decode()
    assert reverse("media_sharing:album", args=[p.group_a.pk]) in form
    data = {
        "title": "Het bos",
        "body": "Kijk maar!",
        "groups": [p.group_a.pk],
        "allow_reactions": "on",
        "media": [item.pk],
        "action": "publish",
    }
    refused = client.post(reverse("messaging:post-create"), data)
    assert refused.status_code == 200
    assert "Geen toestemming om Mila" in refused.content.decode()
    assert not Post.objects.exists()
    client.post(
        reverse("media_sharing:tags", args=[item.pk]),
        {"children": [p.child_a.pk, p.child_a2.pk][:1]},
    )
    p.school.allow_portrait_photos = True
    p.school.save()
    response = client.post(reverse("messaging:post-create"), data)
    post = Post.objects.get()
    assert response.status_code == 302
    detail = login(p.parent_a).get(reverse("messaging:post-detail", args=[post.pk]))
    html = detail.content.decode()
    assert reverse("media_sharing:file", args=[item.pk, "display"]) in html
    assert "blijven binnen de omgeving van de school" in html


def test_parents_do_not_see_the_media_choice(personas, login):
    response = login(personas.parent_a).get(reverse("messaging:post-create"))
    assert response.status_code == 404


def test_the_feed_api_lists_only_visible_photos_and_posts_with_them(
    personas, login, make_item, all_consent, consent
):
    p = personas
    tagged = make_item(published=False, tags=[p.child_a, p.child_a2])
    untagged = make_item(published=False)
    teacher = login(p.teacher_a)
    created = teacher.post(
        reverse("api-post-list"),
        {
            "school": p.school.pk,
            "title": "Het bos",
            "body": "Kijk!",
            "group_ids": [p.group_a.pk],
            "media_ids": [tagged.pk, untagged.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["media_ids"] == [tagged.pk, untagged.pk]
    parent = login(p.parent_a)
    [row] = parent.get(reverse("api-post-list")).json()["results"]
    assert row["media_ids"] == [tagged.pk, untagged.pk]
    consent(p.multi_school_parent, p.child_a2, "refused")
    [row] = parent.get(reverse("api-post-list")).json()["results"]
    assert row["media_ids"] == [untagged.pk]
    detail = parent.get(reverse("api-post-detail", args=[row["id"]])).json()
    assert detail["media_ids"] == [untagged.pk]
