"""Demo data: two fictional schools, one after each policy in shared/policies.

Used by `manage.py seed_demo` (and so by `make run`). Deterministic, written in one
transaction, and a no-op when the demo schools exist already.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .models import Child, Group, Guardianship, School, StaffMembership, school_year_for

User = get_user_model()
Role = StaffMembership.Role

DEMO_PASSWORD = "schoolbrug-demo"  # noqa: S105 -- printed demo login, not a secret

GROUP_NAMES = [
    (2, "Groep 1/2"),
    (3, "Groep 3"),
    (4, "Groep 4"),
    (5, "Groep 5"),
    (6, "Groep 6"),
    (7, "Groep 7"),
    (8, "Groep 8"),
]
FIRST_NAMES = [
    "Emma",
    "Noah",
    "Julia",
    "Liam",
    "Mila",
    "Luca",
    "Tess",
    "Sem",
    "Sophie",
    "Lucas",
    "Zoë",
    "Finn",
    "Yara",
    "Daan",
    "Nora",
    "Levi",
    "Saar",
    "Milan",
    "Evi",
    "Bram",
    "Lotte",
    "Jesse",
    "Fenna",
    "Mees",
    "Lieke",
    "Thijs",
    "Isa",
    "Ruben",
    "Fleur",
    "Sam",
    "Noor",
    "Adam",
    "Sara",
    "Mohammed",
    "Amira",
    "Youssef",
    "Lina",
    "Omar",
    "Hira",
    "Jayden",
    "Anouk",
    "Stijn",
    "Roos",
    "Luuk",
    "Femke",
    "Gijs",
    "Maud",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Berg",
    "Haddou",
    "El Amrani",
    "Yilmaz",
    "Kramer",
    "Schouten",
    "Post",
]
ADULT_NAMES = [
    "Anna",
    "Bram",
    "Carla",
    "Dirk",
    "Eva",
    "Frank",
    "Hanna",
    "Ivo",
    "Joke",
    "Karim",
    "Linda",
    "Marco",
    "Nadia",
    "Pieter",
    "Rianne",
    "Sander",
    "Tamara",
    "Ufuk",
    "Vera",
    "Wouter",
    "Yasmin",
    "Kees",
    "Ilse",
    "Hamza",
    "Marloes",
]

# Each school's own code of conduct, in its own words (shared/policies), as parents read it.
CODE_OF_CONDUCT = {
    "lindeboom": (
        "Wij verwachten dat alle gebruikers van Schoolbrug op een positieve, opbouwende, "
        "realistische en zinvolle manier communiceren. Er worden geen negatieve berichten en/of "
        "anderszins schadelijke (beeld)materialen geplaatst die nadelig kunnen zijn voor "
        "individuele leerlingen en de school. Schelden, discrimineren, bedreigen en seksueel "
        "getinte communicatie zijn op geen enkele manier geoorloofd.\n\n"
        "Alle rechten van tekst en beeld liggen bij de school. Het delen van screenshots van "
        "foto's of het plaatsen van filmpjes uit Schoolbrug op sociale media is niet "
        "toegestaan. Twijfelt u over iets wat u ziet? Meld het bij de leerkracht."
    ),
    "zeester": (
        "Wij verwachten van alle gebruikers dat ze er een positieve, opbouwende, realistische "
        "en zinvolle manier van communiceren op na houden. Schelden, discrimineren, bedreigen "
        "en seksueel getinte communicatie zijn op geen enkele wijze geoorloofd.\n\n"
        "Alle rechten van tekst en beeld liggen bij de school. De informatie blijft binnen de "
        "afgesloten omgeving van Schoolbrug en wordt niet gedeeld op andere sociale media. "
        "Twijfelt u over de geschiktheid van een bericht? Meld het bij de leerkracht en de "
        "directie. Voor dringende zaken belt u de school."
    ),
}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


DEMO_LOGINS = [
    DemoLogin("beheer@schoolbrug.example", "superuser (all schools)"),
    DemoLogin("administratie@lindeboom.example", "administration, De Lindeboom"),
    DemoLogin("administratie@zeester.example", "administration, De Zeester"),
    DemoLogin("directie@lindeboom.example", "direction, De Lindeboom"),
    DemoLogin("juf.anna@lindeboom.example", "teacher Groep 5 Mon–Wed, De Lindeboom"),
    DemoLogin("meester.bram@lindeboom.example", "teacher Groep 5 Thu–Fri, De Lindeboom"),
    DemoLogin("assistent.ilse@lindeboom.example", "assistant Groep 1/2 and 3, De Lindeboom"),
    DemoLogin("juf.noor@zeester.example", "teacher Groep 6, De Zeester"),
    DemoLogin("sanne@ouders.example", "parent: Groep 5 and Groep 7, De Lindeboom"),
    DemoLogin("tom@ouders.example", "separated second parent of Sanne's child in Groep 5"),
    DemoLogin("lotte@ouders.example", "parent: a child at each school"),
    DemoLogin("ahmed@ouders.example", "parent: Groep 6, De Zeester"),
]


def demo_schools():
    """The two schools' policies as data (fictional names, real rules). Both have staff
    reachable 08:00–16:30 and group messages and the digest on Friday."""
    shared = {"planned_absence_notice_days": 1}
    return [
        School(
            name="Kindcentrum De Lindeboom",
            slug="lindeboom",
            administration_phone="+31 20 555 0101",
            # Sick reports by phone; an app message is welcome but not required.
            absence_mode=School.AbsenceMode.PHONE,
            absence_cutoff=datetime.time(8, 30),
            allow_portrait_photos=True,
            code_of_conduct=CODE_OF_CONDUCT["lindeboom"],
            **shared,
        ),
        School(
            name="Basisschool De Zeester",
            slug="zeester",
            administration_phone="+31 71 555 0202",
            # Absences in the app before 08:15; planned ones a day ahead; group photos only.
            absence_mode=School.AbsenceMode.APP,
            absence_cutoff=datetime.time(8, 15),
            allow_portrait_photos=False,
            code_of_conduct=CODE_OF_CONDUCT["zeester"],
            # "Something personal once a week" is the other school's aim, not this one's.
            personal_message_coach=False,
            **shared,
        ),
    ]


class _Builder:
    def __init__(self, password_hash: str):
        self.rng = random.Random(2026)  # deterministic: the same demo every time
        self.password_hash = password_hash
        self.users: dict[str, User] = {}
        self.memberships: list[tuple[StaffMembership, list[Group]]] = []
        self.guardianships: list[tuple[str, Child, bool]] = []

    def user(self, email, full_name, **extra):
        if email not in self.users:
            self.users[email] = User(
                email=email, full_name=full_name, password=self.password_hash, **extra
            )
        return self.users[email]

    def staff(self, school, email, full_name, role, groups=(), workdays=(1, 2, 3, 4, 5)):
        user = self.user(email, full_name, is_staff=role == Role.ADMINISTRATION)
        membership = StaffMembership(user=user, school=school, role=role, workdays=list(workdays))
        self.memberships.append((membership, list(groups)))

    def child(self, school, group, first_name=None, last_name=None):
        return Child(
            school=school,
            group=group,
            first_name=first_name or self.rng.choice(FIRST_NAMES),
            last_name=last_name or self.rng.choice(LAST_NAMES),
        )


def _school_people(builder, school, groups, children_by_group):
    """Staff and ordinary families for one school."""
    domain = f"{school.slug}.example"
    builder.staff(
        school, f"administratie@{domain}", f"Administratie {school.name}", Role.ADMINISTRATION
    )
    builder.staff(school, f"directie@{domain}", f"Directie {school.name}", Role.DIRECTION)
    for index, group in enumerate(groups):
        teacher_name = ADULT_NAMES[index % len(ADULT_NAMES)]
        if school.slug == "lindeboom" and group.name == "Groep 5":
            # The part-time pair: a different teacher on different weekdays.
            builder.staff(
                school, f"juf.anna@{domain}", "Anna de Vries", Role.TEACHER, [group], (1, 2, 3)
            )
            builder.staff(
                school, f"meester.bram@{domain}", "Bram Jansen", Role.TEACHER, [group], (4, 5)
            )
            continue
        if school.slug == "zeester" and group.name == "Groep 6":
            builder.staff(school, f"juf.noor@{domain}", "Noor Bakker", Role.TEACHER, [group])
            continue
        slug = group.name.lower().replace(" ", "").replace("/", "")
        builder.staff(
            school, f"leerkracht.{slug}@{domain}", f"{teacher_name} Visser", Role.TEACHER, [group]
        )
    builder.staff(
        school, f"assistent.ilse@{domain}", "Ilse Mulder", Role.ASSISTANT, groups[:2], (1, 2, 4)
    )

    counter = 0
    all_children = [child for group in groups for child in children_by_group[group.pk]]
    for child in all_children:
        if any(link[1] is child for link in builder.guardianships):
            continue  # already has guardians as a sibling or a persona's child
        counter += 1
        family = f"{school.slug}{counter:03d}"
        first = builder.user(f"ouder.{family}.a@ouders.example", f"Ouder {child.last_name}")
        siblings = [child]
        if builder.rng.random() < 0.15:
            # A sibling in another group of the same school.
            other_group = builder.rng.choice([g for g in groups if g.pk != child.group_id])
            candidates = [
                c
                for c in children_by_group[other_group.pk]
                if not any(link[1] is c for link in builder.guardianships)
            ]
            if candidates:
                sibling = candidates[0]
                sibling.last_name = child.last_name
                siblings.append(sibling)
        roll = builder.rng.random()
        for kid in siblings:
            builder.guardianships.append((first.email, kid, True))
        if roll < 0.55:
            # Two guardians; one in ten of those separated, each with their own account.
            second = builder.user(
                f"ouder.{family}.b@ouders.example", f"Ouder {builder.rng.choice(LAST_NAMES)}"
            )
            # One family where a court ruling stops the second parent receiving anything.
            receives = counter != 7
            for kid in siblings:
                builder.guardianships.append((second.email, kid, receives))


@transaction.atomic
def seed_demo(today: datetime.date | None = None) -> bool:
    """Create the demo. Returns False (and changes nothing) when it exists already."""
    if School.objects.filter(slug__in=["lindeboom", "zeester"]).exists():
        return False
    today = today or timezone.localdate()
    year = school_year_for(today)
    builder = _Builder(make_password(DEMO_PASSWORD))
    builder.user("beheer@schoolbrug.example", "Platformbeheer", is_staff=True, is_superuser=True)

    schools = School.objects.bulk_create(demo_schools())
    groups_by_school = {}
    children_by_group = {}
    children = []
    for school in schools:
        groups = Group.objects.bulk_create(
            [
                Group(school=school, name=name, grade=grade, school_year=year)
                for grade, name in GROUP_NAMES
            ]
        )
        groups_by_school[school.slug] = {group.name: group for group in groups}
        for group in groups:
            kids = [builder.child(school, group) for _ in range(builder.rng.randint(20, 28))]
            children_by_group[group.pk] = kids
            children.extend(kids)

    lindeboom, zeester = groups_by_school["lindeboom"], groups_by_school["zeester"]

    # The personas' children are the first child of their groups, renamed.
    def persona_child(groups, group_name, index, first_name, last_name):
        child = children_by_group[groups[group_name].pk][index]
        child.first_name, child.last_name = first_name, last_name
        return child

    sanne = builder.user("sanne@ouders.example", "Sanne Smit")
    tom = builder.user("tom@ouders.example", "Tom de Boer", preferred_language="en")
    lotte = builder.user("lotte@ouders.example", "Lotte Vermeulen")
    ahmed = builder.user("ahmed@ouders.example", "Ahmed Haddou")
    daan = persona_child(lindeboom, "Groep 5", 0, "Daan", "de Boer")
    mila = persona_child(lindeboom, "Groep 7", 0, "Mila", "Smit")
    fenna = persona_child(lindeboom, "Groep 3", 0, "Fenna", "Vermeulen")
    jesse = persona_child(zeester, "Groep 4", 0, "Jesse", "Vermeulen")
    amira = persona_child(zeester, "Groep 6", 0, "Amira", "Haddou")
    builder.guardianships += [
        (sanne.email, daan, True),
        (tom.email, daan, True),  # separated: his own account, the same child
        (sanne.email, mila, True),
        (lotte.email, fenna, True),
        (lotte.email, jesse, True),
        (ahmed.email, amira, True),
    ]

    for school in schools:
        groups = list(groups_by_school[school.slug].values())
        _school_people(builder, school, groups, children_by_group)

    Child.objects.bulk_create(children)
    User.objects.bulk_create(builder.users.values())
    users = {u.email: u for u in User.objects.filter(email__in=builder.users.keys())}
    Guardianship.objects.bulk_create(
        [
            Guardianship(guardian=users[email], child=child, receives_communication=receives)
            for email, child, receives in builder.guardianships
        ]
    )
    for membership, _groups in builder.memberships:
        membership.user = users[membership.user.email]
    created = StaffMembership.objects.bulk_create([m for m, _g in builder.memberships])
    through = StaffMembership.groups.through
    through.objects.bulk_create(
        [
            through(staffmembership_id=membership.pk, group_id=group.pk)
            for membership, (_m, groups) in zip(created, builder.memberships, strict=True)
            for group in groups
        ]
    )
    return True
