import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from groups.models import StaffMembership
from messaging.kindgesprek import selectors, services
from messaging.kindgesprek.models import (
    Attachment,
    Message,
    MessageNotification,
    MessageRead,
    StaffAvailability,
    Thread,
)

from .conftest import MONDAY_EVENING, MONDAY_MORNING, THAT_MONDAY, at

pytestmark = pytest.mark.clock(THAT_MONDAY)

UTC = datetime.UTC


def _jpeg_with_exif():
    image = Image.new("RGB", (40, 30), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


# --- Sending and bad input ----------------------------------------------------------------


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_empty_message_gives_a_clear_message_and_saves_nothing(personas, send, body):
    with pytest.raises(ValidationError) as error:
        send(personas.parent_a, personas.child_a, body)
    assert error.value.message_dict["body"] == ["Schrijf een bericht voordat u verstuurt."]
    assert not Thread.objects.exists()


def test_too_long_message_is_refused(personas, send):
    with pytest.raises(ValidationError) as error:
        send(personas.parent_a, personas.child_a, "x" * 5001)
    assert "5000" in error.value.message_dict["body"][0]
    assert not Message.objects.exists()


def test_photo_is_reencoded_without_metadata(personas, send, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("weekend.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    with frozen(MONDAY_MORNING):
        message = send(personas.parent_a, personas.child_a, "Ons weekend", attachments=[upload])
    attachment = message.attachments.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "weekend.jpg"
    assert "weekend" not in attachment.file.name
    assert len(attachment.key) >= 40
    with attachment.file.open("rb") as stored, Image.open(stored) as image:
        assert image.size == (40, 30)
        assert not image.getexif()


def test_pdf_is_accepted(personas, send, frozen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("brief.pdf", b"%PDF-1.4\n%test\n", content_type="application/pdf")
    with frozen(MONDAY_MORNING):
        message = send(personas.teacher_a, personas.child_a, "De brief", attachments=[upload])
    assert message.attachments.get().content_type == "application/pdf"


def test_file_type_is_checked_by_content_not_name(personas, send, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        send(personas.parent_a, personas.child_a, "Kijk", attachments=[upload])
    assert "geen foto" in error.value.message_dict["attachments"][0]
    assert not Message.objects.exists()
    assert not Attachment.objects.exists()


def test_oversized_attachment_is_refused(personas, send, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as error:
        send(personas.parent_a, personas.child_a, "Groot", attachments=[upload])
    assert "groter dan 10 MB" in error.value.message_dict["attachments"][0]
    assert not Message.objects.exists()


# --- Reading ------------------------------------------------------------------------------


def test_mark_read_and_unread_counts(personas, send, frozen):
    with frozen(MONDAY_MORNING):
        message = send(personas.teacher_a, personas.child_a, "Daan deed goed mee!")
        send(personas.teacher_a, personas.child_a2, "Mila ook.")
        assert selectors.unread_count(personas.parent_a) == 1
        assert selectors.unread_count(personas.separated_parent_a) == 1
        assert selectors.unread_count(personas.blocked_parent_a) == 0
        assert selectors.unread_count(personas.assistant_a) == 0
        services.thread_mark_read(actor=personas.parent_a, thread=message.thread)
        # Twice is harmless.
        services.thread_mark_read(actor=personas.parent_a, thread=message.thread)
        assert selectors.unread_count(personas.parent_a) == 0
        assert selectors.unread_count(personas.separated_parent_a) == 1
    assert MessageRead.objects.get().user == personas.parent_a
    page = selectors.thread_messages(personas.teacher_a, message.thread, now=MONDAY_MORNING)
    assert [read.user for read in page.messages[0].read_by] == [personas.parent_a]


def test_colleagues_reading_is_not_a_receipt(personas, send, frozen):
    with frozen(MONDAY_MORNING):
        message = send(personas.teacher_a, personas.child_a, "Hallo")
        services.thread_mark_read(actor=personas.assistant_a, thread=message.thread)
    page = selectors.thread_messages(personas.parent_a, message.thread, now=MONDAY_MORNING)
    assert page.messages[0].read_by == []


# --- Availability -------------------------------------------------------------------------


def _hours(personas, person):
    return selectors.staff_hours(person, personas.school)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (at(2026, 11, 23, 10), at(2026, 11, 23, 10)),  # Monday, within hours: now
        (at(2026, 11, 23, 7, 59), at(2026, 11, 23, 8)),  # before hours: today 08:00
        (at(2026, 11, 23, 16, 30), at(2026, 11, 24, 8)),  # the end is exclusive
        (at(2026, 11, 23, 23, 59), at(2026, 11, 24, 8)),  # across midnight
        (at(2026, 11, 27, 17), at(2026, 11, 30, 8)),  # Friday evening: Monday
        (at(2026, 11, 29, 12), at(2026, 11, 30, 8)),  # Sunday
    ],
)
def test_next_reading_moment_for_school_hours(personas, now, expected):
    hours = _hours(personas, personas.teacher_a)
    assert selectors.next_reading_moment(hours, personas.school, now) == expected


def test_next_reading_moment_across_dst_end(personas):
    # Friday 23 October 2026 20:00 CEST; clocks go back on Sunday 25 October.
    moment = selectors.next_reading_moment(
        _hours(personas, personas.teacher_a), personas.school, at(2026, 10, 23, 20)
    )
    assert moment == datetime.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)  # 08:00 CET


def test_next_reading_moment_across_dst_start(personas):
    # Friday 26 March 2027 20:00 CET; clocks go forward on Sunday 28 March.
    moment = selectors.next_reading_moment(
        _hours(personas, personas.teacher_a), personas.school, at(2027, 3, 26, 20)
    )
    assert moment == datetime.datetime(2027, 3, 29, 6, 0, tzinfo=UTC)  # 08:00 CEST


def test_part_time_workdays_come_from_the_membership(personas):
    StaffMembership.objects.filter(user=personas.assistant_a).update(workdays=[3, 4])
    moment = selectors.next_reading_moment(
        _hours(personas, personas.assistant_a), personas.school, MONDAY_EVENING
    )
    assert moment == at(2026, 11, 25, 8)  # Wednesday


def test_staff_set_their_own_hours(personas):
    services.availability_set(
        actor=personas.teacher_a,
        school=personas.school,
        hours={2: (datetime.time(12, 0), datetime.time(15, 0))},
    )
    assert StaffAvailability.objects.filter(user=personas.teacher_a).count() == 7
    hours = _hours(personas, personas.teacher_a)
    assert hours[1] is None
    assert hours[2] == (datetime.time(12), datetime.time(15))
    assert selectors.next_reading_moment(hours, personas.school, MONDAY_MORNING) == at(
        2026, 11, 24, 12
    )


def test_own_hours_must_end_after_they_start(personas):
    with pytest.raises(ValidationError) as error:
        services.availability_set(
            actor=personas.teacher_a,
            school=personas.school,
            hours={2: (datetime.time(15, 0), datetime.time(12, 0))},
        )
    assert error.value.message_dict["day_2"] == ["De eindtijd moet na de begintijd liggen."]
    assert not StaffAvailability.objects.exists()


def test_parents_cannot_set_hours(personas):
    with pytest.raises(ValidationError):
        services.availability_set(actor=personas.parent_a, school=personas.school, hours={})


def test_notice_names_each_staff_member_and_the_phone(personas):
    notice = selectors.availability_notice(personas.child_a, now=MONDAY_EVENING)
    assert notice.show
    assert [item.person for item in notice.unavailable] == [
        personas.teacher_a,
        personas.assistant_a,
    ]
    assert {item.moment for item in notice.unavailable} == {at(2026, 11, 24, 8)}
    assert notice.phone == personas.school.administration_phone


def test_no_notice_while_someone_reads(personas):
    assert not selectors.availability_notice(personas.child_a, now=MONDAY_MORNING).show


# --- Notifications ------------------------------------------------------------------------


def test_parent_message_in_the_evening_waits_for_staff_hours(personas, send, frozen):
    with frozen(MONDAY_EVENING):
        message = send(personas.parent_a, personas.child_a, "Vraagje over morgen")
    assert mail.outbox == []
    rows = MessageNotification.objects.filter(message=message)
    assert {row.recipient for row in rows} == {personas.teacher_a, personas.assistant_a}
    assert {row.due_at for row in rows} == {at(2026, 11, 24, 8)}
    with frozen(at(2026, 11, 24, 7, 59)):
        assert services.notifications_send_due() == 0
    with frozen(at(2026, 11, 24, 8, 1)):
        assert services.notifications_send_due() == 2
        assert services.notifications_send_due() == 0  # never twice
    assert sorted(m.to[0] for m in mail.outbox) == [
        personas.assistant_a.email,
        personas.teacher_a.email,
    ]


def test_staff_message_reaches_parents_at_once_in_their_language(personas, send, frozen):
    personas.separated_parent_a.preferred_language = "en"
    personas.separated_parent_a.save()
    with frozen(MONDAY_MORNING):
        send(personas.teacher_a, personas.child_a, "Geheime inhoud over Daan")
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {personas.parent_a.email, personas.separated_parent_a.email}
    dutch = by_recipient[personas.parent_a.email]
    english = by_recipient[personas.separated_parent_a.email]
    assert dutch.subject == "Nieuw bericht over Daan"
    assert english.subject == "New message about Daan"
    assert "Daan" in dutch.body
    assert "/kindgesprek/" in dutch.body
    assert "Geheime inhoud" not in dutch.body + english.body


def test_parent_who_chose_the_digest_gets_no_mail_at_once(personas, send, frozen):
    personas.separated_parent_a.message_notifications = "digest"
    personas.separated_parent_a.save()
    with frozen(MONDAY_MORNING):
        send(personas.teacher_a, personas.child_a, "Hallo")
    assert [m.to[0] for m in mail.outbox] == [personas.parent_a.email]


def test_notification_to_someone_who_lost_access_is_not_sent(personas, send, frozen):
    with frozen(MONDAY_EVENING):
        send(personas.parent_a, personas.child_a, "Vraag")
    StaffMembership.objects.get(user=personas.assistant_a).groups.clear()
    with frozen(at(2026, 11, 24, 9)):
        assert services.notifications_send_due() == 1
    assert [m.to[0] for m in mail.outbox] == [personas.teacher_a.email]


def test_staff_can_schedule_an_evening_message_for_their_next_hours(personas, send, frozen):
    with frozen(MONDAY_EVENING):
        later = selectors.send_later_moment(personas.teacher_a, personas.child_a)
        assert later == at(2026, 11, 24, 8)
        message = send(personas.teacher_a, personas.child_a, "Morgen meer", send_at=later)
        assert message.is_scheduled
        assert selectors.thread_messages(personas.parent_a, message.thread).messages == []
        assert len(selectors.thread_messages(personas.assistant_a, message.thread).messages) == 1
        assert selectors.unread_count(personas.parent_a) == 0
    assert mail.outbox == []
    with frozen(at(2026, 11, 24, 8)):
        assert selectors.unread_count(personas.parent_a) == 1
        assert services.notifications_send_due() == 2


def test_parents_cannot_schedule(personas, send, frozen):
    with frozen(MONDAY_EVENING), pytest.raises(ValidationError) as error:
        send(personas.parent_a, personas.child_a, "Hoi", send_at=at(2026, 11, 24, 8))
    assert "send_at" in error.value.message_dict
    assert not Message.objects.exists()


def test_no_send_later_within_hours(personas):
    assert (
        selectors.send_later_moment(personas.teacher_a, personas.child_a, now=MONDAY_MORNING)
        is None
    )


def test_staff_notification_waits_over_the_dst_weekend(personas, send, frozen):
    # Friday 23 October 2026 20:00 CEST; clocks go back on Sunday.
    with frozen(at(2026, 10, 23, 20)):
        message = send(personas.parent_a, personas.child_a, "Fijn weekend!")
    due = {row.due_at for row in message.notifications.all()}
    assert due == {datetime.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)}
    with frozen(datetime.datetime(2026, 10, 26, 6, 59, tzinfo=UTC)):
        assert services.notifications_send_due() == 0
    with frozen(datetime.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)):
        assert services.notifications_send_due() == 2
