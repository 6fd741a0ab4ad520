import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from groups.models import (
    Child,
    Group,
    Guardianship,
    School,
    StaffMembership,
    school_year_for,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def current_school_year() -> int:
    """The school year of the test's (frozen) today."""
    return school_year_for(timezone.localdate())


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"school-{n}")
    administration_phone = "+31 20 555 0000"
    absence_cutoff = datetime.time(8, 15)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Groep {n}")
    # As the app would create it: in the school year of the test's (frozen) today.
    school_year = factory.LazyFunction(current_school_year)
    grade = 5


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    group = factory.SubFactory(GroupFactory)
    school = factory.SelfAttribute("group.school")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(UserFactory)
    child = factory.SubFactory(ChildFactory)


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = StaffMembership.Role.TEACHER

    @factory.post_generation
    def groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.groups.set(extracted)
