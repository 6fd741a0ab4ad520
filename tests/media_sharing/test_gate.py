"""Tagging and the consent gate: publishing, and who sees what at request time."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from media_sharing import selectors, services
from media_sharing.models import MediaTag


def test_a_child_without_consent_blocks_publishing_by_name(personas, make_item, consent):
    p = personas
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a)
    # Mila's guardian never answered: not asked counts as refused.
    item = make_item(tags=[p.child_a, p.child_a2], published=False)
    with pytest.raises(ValidationError) as error:
        services.media_publish(actor=p.teacher_a, items=[item])
    [message] = error.value.message_dict["items"]
    assert "Mila" in message
    assert "Daan" not in message
    item.refresh_from_db()
    assert item.published_at is None
    # Untagging the child who is not in the photo lets it through.
    services.media_tags_set(actor=p.teacher_a, item=item, child_ids=[p.child_a.pk])
    services.media_publish(actor=p.teacher_a, items=[item])
    item.refresh_from_db()
    assert item.published_at is not None


def test_one_refusing_guardian_is_enough_to_block(personas, make_item, consent):
    p = personas
    consent(p.parent_a, p.child_a)
    consent(p.separated_parent_a, p.child_a, "refused")
    consent(p.multi_school_parent, p.child_a2)
    item = make_item(tags=[p.child_a, p.child_a2], published=False)
    with pytest.raises(ValidationError, match="Daan"):
        services.media_publish(actor=p.teacher_a, items=[item])


def test_portraits_are_refused_where_the_school_forbids_them(personas, make_item, all_consent):
    p = personas
    p.school.allow_portrait_photos = False
    p.school.save()
    item = make_item(tags=[p.child_a], published=False)
    with pytest.raises(ValidationError) as error:
        services.media_publish(actor=p.teacher_a, items=[item])
    assert error.value.message_dict["items"] == [
        "Foto 1: Deze school deelt alleen groepsfoto's, geen portretten van één kind."
    ]
    services.media_tags_set(actor=p.teacher_a, item=item, child_ids=[p.child_a.pk, p.child_a2.pk])
    assert services.media_publish(actor=p.teacher_a, items=[item])


def test_portraits_are_fine_where_the_school_allows_them(personas, make_item, all_consent):
    personas.school.allow_portrait_photos = True
    personas.school.save()
    item = make_item(tags=[personas.child_a], published=False)
    assert services.media_publish(actor=personas.teacher_a, items=[item])


def test_untagged_photos_need_the_no_recognisable_children_confirmation(personas, make_item):
    item = make_item(published=False, tags=())
    item.confirmed_no_recognisable_children = False
    item.save()
    with pytest.raises(ValidationError, match="geen kind herkenbaar"):
        services.media_publish(actor=personas.teacher_a, items=[item])
    services.media_tags_set(
        actor=personas.teacher_a, item=item, child_ids=[], confirmed_no_recognisable_children=True
    )
    assert services.media_publish(actor=personas.teacher_a, items=[item])


def test_tags_are_children_of_the_audience_group_only(personas, make_item):
    item = make_item(published=False)
    with pytest.raises(ValidationError, match="alleen kinderen uit deze groep"):
        services.media_tags_set(
            actor=personas.teacher_a, item=item, child_ids=[personas.child_b.pk]
        )
    assert not MediaTag.objects.exists()


def test_only_the_groups_staff_tag_and_publish(personas, make_item):
    item = make_item(published=False)
    for person in (personas.parent_a, personas.admin, personas.direction, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.media_tags_set(actor=person, item=item, child_ids=[])
        with pytest.raises(PermissionDenied):
            services.media_publish(actor=person, items=[item])


def test_tagging_a_published_photo_with_a_blocked_child_is_refused(personas, make_item, consent):
    consent(personas.parent_a, personas.child_a)
    item = make_item(tags=[personas.child_a2], published=False)
    item.published_at = item.created_at
    item.save()
    with pytest.raises(ValidationError):
        services.media_tags_set(
            actor=personas.teacher_a, item=item, child_ids=[personas.child_a2.pk]
        )


def test_tag_choices_show_the_no_photos_marker(personas, consent):
    consent(personas.parent_a, personas.child_a)
    choices = dict(selectors.tag_choices(personas.group_a))
    assert choices == {personas.child_a: True, personas.child_a2: False}


# --- visible_media / access_media -----------------------------------------------------------


def visible(user):
    return set(selectors.visible_media(user).values_list("pk", flat=True))


def test_audience_of_a_group_photo(personas, make_item, all_consent):
    p = personas
    item = make_item(tags=[p.child_a, p.child_a2])
    for person in (p.parent_a, p.separated_parent_a, p.multi_school_parent, p.teacher_a):
        assert visible(person) == {item.pk}, person
    for person in (p.assistant_a, p.direction, p.admin):
        assert item.pk in visible(person)
    for person in (p.parent_b, p.blocked_parent_a, p.outsider, p.other_admin):
        assert visible(person) == set(), person
        with pytest.raises(Http404):
            selectors.access_media(person, item.pk)


def test_drafts_and_processing_items_are_for_staff_only(personas, make_item, all_consent):
    draft = make_item(published=False)
    processing = make_item(state="processing")
    assert visible(personas.parent_a) == set()
    assert visible(personas.teacher_a) == {draft.pk, processing.pk}


def test_a_withdrawal_hides_the_photo_at_the_next_request(
    personas, make_item, all_consent, consent
):
    p = personas
    item = make_item(tags=[p.child_a, p.child_a2])
    untagged = make_item()
    assert visible(p.parent_b) == set()
    assert visible(p.multi_school_parent) == {item.pk, untagged.pk}
    consent(p.multi_school_parent, p.child_a2, "refused")
    for person in (p.parent_a, p.multi_school_parent, p.direction, p.admin):
        assert visible(person) == {untagged.pk}, person
        with pytest.raises(Http404):
            selectors.access_media(person, item.pk)
    # The group's staff still see it, marked, so they know why families no longer do.
    seen = selectors.access_media(p.teacher_a, item.pk)
    assert seen.consent_hidden is True
    assert selectors.access_media(p.teacher_a, untagged.pk).consent_hidden is False
    consent(p.multi_school_parent, p.child_a2, "granted")
    assert visible(p.parent_a) == {item.pk, untagged.pk}


def test_the_items_purpose_is_the_one_checked(personas, make_item, all_consent, consent):
    p = personas
    # Everyone allows the closed group environment, nobody the school website.
    item = make_item(tags=[p.child_a, p.child_a2], purpose_code="website")
    group_item = make_item(tags=[p.child_a, p.child_a2])
    assert visible(p.parent_a) == {group_item.pk}
    assert item.pk in visible(p.teacher_a)


def test_kindgesprek_photos_are_for_that_childs_guardians_and_staff(personas, make_item):
    p = personas
    item = make_item(child=p.child_a)
    assert item.pk in visible(p.parent_a)
    assert item.pk in visible(p.separated_parent_a)
    assert item.pk in visible(p.teacher_a)
    for person in (p.multi_school_parent, p.parent_b, p.blocked_parent_a, p.direction, p.admin):
        assert item.pk not in visible(person), person


def test_visible_media_takes_a_fixed_number_of_queries(
    personas, make_item, all_consent, django_assert_num_queries
):
    make_item(tags=[personas.child_a])

    def count():
        with django_assert_num_queries(4):
            return len(list(selectors.visible_media(personas.parent_a)))

    assert count() == 1
    for _ in range(10):
        make_item(tags=[personas.child_a, personas.child_a2])
        make_item(tags=[personas.child_b], group=personas.group_b)
    assert count() == 11


def test_staff_are_told_when_a_withdrawal_hides_photos(
    personas, make_item, all_consent, consent, mailoutbox, django_capture_on_commit_callbacks
):
    p = personas
    make_item(tags=[p.child_a, p.child_a2])
    make_item(tags=[p.child_a2])
    make_item(tags=[p.child_a])
    with django_capture_on_commit_callbacks(execute=True):
        consent(p.multi_school_parent, p.child_a2, "refused")
    assert sorted(m.to[0] for m in mailoutbox) == [p.assistant_a.email, p.teacher_a.email]
    mail = mailoutbox[0]
    assert mail.subject == "Foto's van Groep 5a zijn verborgen voor gezinnen"
    assert "2 foto's van Groep 5a" in mail.body
    assert f"/media/groups/{p.group_a.pk}/" in mail.body
    assert "Mila" not in mail.body


def test_no_mail_when_nothing_is_hidden(
    personas, make_item, all_consent, consent, mailoutbox, django_capture_on_commit_callbacks
):
    p = personas
    make_item(tags=[p.child_a])
    with django_capture_on_commit_callbacks(execute=True):
        consent(p.parent_a, p.child_a, "granted")  # a grant hides nothing
        consent(p.parent_b, p.child_b, "refused")  # Sem is in no shared photo
    assert mailoutbox == []


def test_a_guardian_publishes_their_own_kindgesprek_photo_only(personas, make_item):
    p = personas
    own = make_item(child=p.child_a, published=False, uploaded_by=p.parent_a)
    assert services.media_publish(actor=p.parent_a, items=[own])
    others = make_item(child=p.child_a, published=False)
    with pytest.raises(PermissionDenied):
        services.media_publish(actor=p.parent_a, items=[others])
    with pytest.raises(PermissionDenied):
        services.media_publish(actor=p.parent_b, items=[own])
