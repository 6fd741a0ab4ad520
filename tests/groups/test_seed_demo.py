from django.core.management import call_command

from accounts.models import User
from groups.demo import DEMO_LOGINS
from groups.models import Child, Group, Guardianship, School, StaffMembership


def _counts():
    return tuple(
        model.objects.count()
        for model in (School, Group, Child, User, Guardianship, StaffMembership)
    )


def test_seed_demo_twice_changes_nothing(db, capsys):
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    output = capsys.readouterr().out
    for login in DEMO_LOGINS:
        assert login.email in output


def test_seed_demo_matches_the_policies(db):
    call_command("seed_demo")
    phone, app = School.objects.get(slug="lindeboom"), School.objects.get(slug="zeester")
    assert phone.absence_mode == "phone"
    assert app.absence_mode == "app"
    assert app.absence_cutoff.strftime("%H:%M") == "08:15"
    assert app.planned_absence_notice_days == 1
    assert not app.allow_portrait_photos
    for school in (phone, app):
        assert school.groups.count() == 7
        for group in school.groups.all():
            assert 20 <= group.children.count() <= 28


def test_seed_demo_has_the_promised_families(db):
    call_command("seed_demo")
    # Every demo login exists and every child has a guardian.
    assert User.objects.filter(email__in=[d.email for d in DEMO_LOGINS]).count() == len(DEMO_LOGINS)
    assert not Child.objects.filter(guardianships__isnull=True).exists()
    lotte = User.objects.get(email="lotte@ouders.example")
    assert {c.school.slug for c in lotte.children.all()} == {"lindeboom", "zeester"}
    sanne, tom = (User.objects.get(email=e) for e in ("sanne@ouders.example", "tom@ouders.example"))
    assert len({c.group_id for c in sanne.children.all()}) == 2
    assert set(tom.children.all()) & set(sanne.children.all())
    groep5 = Group.objects.get(school__slug="lindeboom", name="Groep 5")
    workdays = sorted(m.workdays for m in groep5.staff_memberships.filter(role="teacher"))
    assert workdays == [[1, 2, 3], [4, 5]]
    assert Guardianship.objects.filter(receives_communication=False).exists()
    assert User.objects.filter(is_superuser=True).count() == 1
    for admin in StaffMembership.objects.filter(role="administration"):
        assert admin.user.is_staff
