"""A few weeks of school life for the two demo schools, written through the apps' own
services so every rule holds as it would for real use (consent gate, re-encoded photos,
kindgesprek notifications, absence rules, exactly-once mail runs).

Everything is relative to the moment of seeding, in the school's time zone, and never in
the future unless it is meant to be (the agenda, a meeting round's times). Services stamp
"now" on what they write; where the demo needs an earlier moment (a post of twelve days
ago) it moves the timestamp afterwards with an UPDATE, and says so where it does.

A school that has posts already is left alone: that is what makes a second run change
nothing, and a database seeded before the content existed get its content once.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from absences import selectors as absence_selectors
from absences import services as absence_services
from groups.models import Group, Guardianship, School, StaffMembership
from mailings import services as mailings
from mailings.models import MailDelivery, MailRun
from media_sharing import services as media_services
from media_sharing.models import MediaItem
from meetings.models import HelpRole
from meetings.services import agenda as agenda_services
from meetings.services import help as help_services
from meetings.services import rounds as round_services
from messaging import services as feed_services
from messaging.digest import periods
from messaging.digest import services as digest_services
from messaging.kindgesprek import services as kindgesprek_services
from messaging.kindgesprek.models import Message
from messaging.models import Comment, Post, PostRead
from privacy import services as privacy_services
from privacy.models import ConsentEvent, ConsentPurpose

from . import pictures, texts

Role = StaffMembership.Role
Decision = ConsentEvent.Decision

DEMO_SLUGS = ("lindeboom", "zeester")
SEED = 2026

# The groups where the demo's personas have children get the richer life; the rest of the
# school gets its weekly group message.
FOCUS_GROUPS = {
    "lindeboom": ["Groep 1/2", "Groep 3", "Groep 5", "Groep 7"],
    "zeester": ["Groep 4", "Groep 6"],
}
PERSONAS = ("sanne@ouders.example", "tom@ouders.example", "lotte@ouders.example")
PERSONAS += ("ahmed@ouders.example",)
SANNE, TOM, AHMED = "sanne@ouders.example", "tom@ouders.example", "ahmed@ouders.example"

#: How likely a decided family says yes to each purpose beyond the closed group environment.
PURPOSE_ODDS = {
    "group": 1.0,
    "first_name": 0.85,
    "newsletter": 0.8,
    "guide": 0.7,
    "website": 0.55,
    "social": 0.35,
}


def seed_content(now: datetime.datetime | None = None) -> list[str]:
    """Give each demo school without content its content. Returns the slugs it filled."""
    now = now or timezone.now()
    filled = []
    for school in School.objects.filter(slug__in=DEMO_SLUGS).order_by("slug"):
        if Post.objects.filter(school=school).exists():
            continue
        with transaction.atomic():
            _SchoolLife(school, now).build()
        filled.append(school.slug)
    return filled


@dataclass
class _Staff:
    user: object
    workdays: list


@dataclass
class _GroupPeople:
    group: Group
    children: list
    teachers: list = field(default_factory=list)
    assistants: list = field(default_factory=list)

    def writer_on(self, weekday: int):
        """Who writes on that weekday: the teacher working then (a part-time pair shares a
        group), else the first teacher."""
        for staff in self.teachers:
            if weekday in staff.workdays:
                return staff.user
        return self.teachers[0].user


class _SchoolLife:
    def __init__(self, school: School, now: datetime.datetime):
        self.school = school
        self.now = now
        self.tz = school.tz
        self.today = timezone.localtime(now, self.tz).date()
        self.rng = random.Random(f"{SEED}:{school.slug}")  # noqa: S311 -- demo data, not secrets
        self.slug = school.slug
        memberships = list(
            StaffMembership.objects.filter(school=school)
            .select_related("user")
            .prefetch_related("groups")
            .order_by("pk")
        )
        self.administration = next(m.user for m in memberships if m.role == Role.ADMINISTRATION)
        self.direction = next(m.user for m in memberships if m.role == Role.DIRECTION)
        newest = Group.objects.filter(school=school).order_by("-school_year").first().school_year
        self.groups = {}
        for group in Group.objects.filter(school=school, school_year=newest).order_by("grade"):
            children = list(group.children.select_related("school").order_by("pk"))
            self.groups[group.name] = _GroupPeople(group=group, children=children)
        for membership in memberships:
            for group in membership.groups.all():
                people = self.groups.get(group.name)
                if people is None or people.group.pk != group.pk:
                    continue
                staff = _Staff(membership.user, list(membership.workdays))
                if membership.role == Role.TEACHER:
                    people.teachers.append(staff)
                elif membership.role == Role.ASSISTANT:
                    people.assistants.append(staff)
        self.guardians = {}
        for link in (
            Guardianship.objects.filter(child__school=school, receives_communication=True)
            .select_related("guardian")
            .order_by("pk")
        ):
            self.guardians.setdefault(link.child_id, []).append(link.guardian)
        self.persona_children = {
            link.child_id
            for link in Guardianship.objects.filter(
                child__school=school, guardian__email__in=PERSONAS
            )
        }
        self.no_consent = {}  # child id -> "refused" | "not_asked" | "withdrawn"
        self.posts = []
        self.threads = {}

    # --- time ----------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.tz)

    @property
    def monday(self) -> datetime.date:
        return self.today - datetime.timedelta(days=self.today.weekday())

    def past(self, weeks_ago: int, weekday: int, hour: int, minute: int = 0):
        """That weekday's moment `weeks_ago` weeks back, moved a week earlier until it has
        passed: the demo's history never lies in the future."""
        day = self.monday - datetime.timedelta(days=7 * weeks_ago) + datetime.timedelta(weekday - 1)
        moment = self.at(day, hour, minute)
        while moment > self.now:
            moment -= datetime.timedelta(days=7)
            moment = self.at(moment.date(), hour, minute)
        return moment

    def school_day_ahead(self, days: int) -> datetime.date:
        day = self.today + datetime.timedelta(days=days)
        while day.isoweekday() not in self.school.staff_workdays:
            day += datetime.timedelta(days=1)
        return day

    # --- the whole --------------------------------------------------------------------

    def build(self):
        privacy_services.consent_purposes_ensure(self.school)
        self.consent()
        self.weekly_posts()
        self.feature_posts()
        self.school_posts()
        self.withdrawals()
        self.kindgesprekken()
        self.absences()
        self.meetings()
        self.newsletter()
        self.reactions()
        self.digest()

    # --- consent -----------------------------------------------------------------------

    def consent(self):
        """Most families said yes on every purpose they were asked; per group one refused
        photos, one or two forms never came back ("not asked"), and in the focus groups one
        family will withdraw after their child was in a shared photo."""
        purposes = list(ConsentPurpose.objects.filter(school=self.school).order_by("ordering"))
        for name, people in self.groups.items():
            candidates = [c for c in people.children if c.pk not in self.persona_children]
            picks = self.rng.sample(candidates, 4)
            self.no_consent[picks[0].pk] = "refused"
            self.no_consent[picks[1].pk] = "not_asked"
            if self.rng.random() < 0.5:
                self.no_consent[picks[2].pk] = "not_asked"
            if name in FOCUS_GROUPS[self.slug]:
                # Granted first, so the photo could be shared; refused later (withdrawals()).
                people.withdrawing = picks[3]
            for child in people.children:
                state = self.no_consent.get(child.pk)
                if state == "not_asked":
                    continue
                guardian = self.guardians[child.pk][0]
                for purpose in purposes:
                    if state == "refused":
                        decision = Decision.REFUSED
                    elif self.rng.random() < PURPOSE_ODDS.get(purpose.code, 0.5):
                        decision = Decision.GRANTED
                    else:
                        decision = Decision.REFUSED
                    self.record(child, guardian, purpose, decision)

    def record(self, child, guardian, purpose, decision):
        if self.school.slug == "lindeboom":
            # This school asks at registration, on paper; the administration types it in.
            privacy_services.consent_record(
                actor=self.administration,
                child=child,
                purpose=purpose,
                decision=decision,
                on_behalf_of=guardian,
                reason="Toestemmingsformulier bij aanmelding",
            )
        else:
            # Here parents decide in their account's privacy preferences.
            privacy_services.consent_record(
                actor=guardian, child=child, purpose=purpose, decision=decision
            )

    def withdrawals(self):
        purpose = ConsentPurpose.objects.get(school=self.school, code="group")
        for people in self.groups.values():
            child = getattr(people, "withdrawing", None)
            if child is None:
                continue
            self.no_consent[child.pk] = "withdrawn"
            guardian = self.guardians[child.pk][0]
            privacy_services.consent_record(
                actor=guardian, child=child, purpose=purpose, decision=Decision.REFUSED
            )

    def photo_children(self, people, count, *, include=()):
        """Children who may be in a shared photo now, the personas' children first (so the
        demo parents see their own child), plus `include`."""
        allowed = [
            c
            for c in people.children
            if c.pk not in self.no_consent and c != getattr(people, "withdrawing", None)
        ]
        own = [c for c in allowed if c.pk in self.persona_children]
        others = self.rng.sample([c for c in allowed if c not in own], count)
        chosen = (own + others)[:count]
        return chosen + list(include)

    # --- posts -------------------------------------------------------------------------

    def publish(
        self,
        *,
        author,
        moment,
        title,
        body,
        group=None,
        photos=(),
        attachments=(),
        school_wide=False,
    ):
        """A post through the feed's service, its photos through media_sharing's upload,
        tags and variants; then moved back to `moment`."""
        media_ids = []
        for scene, caption, children, confirmed in photos:
            data = pictures.scene_jpeg(scene, self.rng.randint(1, 10_000), caption)
            upload = SimpleUploadedFile(f"{scene}.jpg", data, content_type="image/jpeg")
            result = media_services.media_upload(actor=author, files=[upload], group=group)
            item = result.items[0]
            media_services.media_tags_set(
                actor=author,
                item=item,
                child_ids=[c.pk for c in children],
                confirmed_no_recognisable_children=confirmed,
            )
            # Made here rather than by the task after commit, so the photos are ready when
            # the command ends whatever runs Celery (and inside a test's transaction).
            media_services.media_make_variants(item_id=item.pk)
            media_ids.append(item.pk)
        files = [
            SimpleUploadedFile(name, pictures.text_pdf(pdf_title, lines), "application/pdf")
            for name, pdf_title, lines in attachments
        ]
        post = feed_services.post_publish(
            actor=author,
            school=self.school,
            title=title,
            body=body,
            group_ids=[group.pk] if group else [],
            school_wide=school_wide,
            attachments=files,
            media_ids=media_ids,
        )
        self.backdate_post(post, moment)
        if media_ids:
            # Uploaded shortly before the post went out, shared with it.
            MediaItem.objects.filter(pk__in=media_ids).update(
                published_at=moment, created_at=moment - datetime.timedelta(minutes=20)
            )
        self.posts.append(post)
        return post

    def backdate_post(self, post, moment):
        # post_publish refuses a moment in the past (a scheduling rule for people); the demo's
        # history is written now and moved back to when it happened.
        Post.objects.filter(pk=post.pk).update(publish_at=moment, created_at=moment)
        post.publish_at = post.created_at = moment

    def weekly_posts(self):
        """The policy's weekly group message on Friday, for the last three weeks."""
        for people in self.groups.values():
            band = "young" if people.group.grade <= 2 else "middle"
            band = "upper" if people.group.grade >= 6 else band
            # The last three Fridays that have come (this week's may still be ahead).
            fridays = sorted({self.past(w, 5, 14, 0) for w in (3, 2, 1, 0)})[-3:]
            for weeks_ago, friday in zip((2, 1, 0), fridays, strict=True):
                moment = friday + datetime.timedelta(minutes=self.rng.choice([15, 30, 45]))
                author = people.writer_on(5)
                self.publish(
                    author=author,
                    moment=moment,
                    group=people.group,
                    title=self.rng.choice(texts.WEEKLY_TITLES).format(group=people.group.name),
                    body=texts.WEEKLY_BODY.format(
                        topic=texts.WEEKLY_TOPICS[band][weeks_ago % 3],
                        closing=self.rng.choice(texts.WEEKLY_CLOSINGS),
                        teacher=author.full_name.split()[0],
                    ),
                )

    def season(self):
        month = self.today.month
        if month in (9, 10, 11):
            return texts.SEASONS["herfst"]
        if month in (12, 1, 2):
            return texts.SEASONS["winter"]
        if month in (3, 4, 5):
            return texts.SEASONS["lente"]
        return texts.SEASONS["zomer"]

    def feature_posts(self):
        g = self.groups
        scene, walk, finds = self.season()
        if self.slug == "lindeboom":
            g5, g3, g7, g12 = g["Groep 5"], g["Groep 3"], g["Groep 7"], g["Groep 1/2"]
            self.sports_day(g5, weeks_ago=1, photos=3)
            self.publish(
                author=g5.writer_on(4),
                moment=self.past(0, 4, 12, 20),
                group=g5.group,
                title="Proefjes met water",
                body=(
                    "Vandaag waren we echte onderzoekers! Wat drijft en wat zinkt? En waarom "
                    "kleurt water als je er een druppel verf in doet? Het werkblad gaat mee naar "
                    "huis; misschien willen de kinderen het thuis nog eens proberen.\n\n"
                    "Meester Bram"
                ),
                photos=[
                    ("science", "Proefjes · Groep 5", self.photo_children(g5, 3), False),
                    ("science", "Drijven of zinken?", self.photo_children(g5, 2), False),
                ],
                attachments=[
                    (
                        "werkblad-proefjes.pdf",
                        "Werkblad: drijven of zinken?",
                        (
                            "Zet een kruisje bij wat je denkt, en probeer het dan uit.",
                            "- een kurk   - een knikker   - een appel   - een lepel",
                            "Wat drijft er? Wat zinkt er? Teken wat je zag.",
                        ),
                    )
                ],
            )
            self.publish(
                author=g5.writer_on(2),
                moment=self.past(0, 2, 15, 40),
                group=g5.group,
                title="Excursie naar het bos: informatie",
                body=(
                    "Beste ouders,\n\nBinnenkort gaan we met de groep naar het bos. In de "
                    "bijlage leest u wat uw kind mee moet nemen. We zoeken nog begeleiders en "
                    "rijders: u kunt zich aanmelden onder 'Hulp gevraagd'.\n\nJuf Anna"
                ),
                attachments=[
                    (
                        "informatiebrief-excursie-bos.pdf",
                        "Excursie naar het bos - Groep 5",
                        (
                            "Beste ouders,",
                            "We vertrekken om 8.45 uur vanaf school en zijn rond 14.30 uur terug.",
                            "Meenemen: lunchpakket, drinken, regenjas en laarzen.",
                            "Vragen? Stuur juf Anna of meester Bram een bericht in Schoolbrug.",
                        ),
                    )
                ],
            )
            self.publish(
                author=g3.writer_on(3),
                moment=self.past(1, 3, 11, 50),
                group=g3.group,
                title="Knutselen: sterren en slingers",
                body=(
                    "Wat een creativiteit vanochtend! De kinderen hebben sterren geknipt en "
                    "slingers geplakt voor in de klas. Kom gerust eens kijken als u uw kind "
                    "ophaalt."
                ),
                photos=[
                    ("craft", "Knutselochtend · Groep 3", self.photo_children(g3, 3), False),
                    ("craft", "", [], True),
                ],
            )
            self.publish(
                author=g7.writer_on(2),
                moment=self.past(2, 2, 14, 10),
                group=g7.group,
                title="Bezoek aan de bibliotheek",
                body=(
                    "Vandaag zijn we naar de bibliotheek geweest. Iedereen heeft een nieuw boek "
                    "uitgezocht voor het stillezen. Wilt u de boeken over drie weken weer "
                    "meegeven?"
                ),
                photos=[
                    ("reading", "Bibliotheek · Groep 7", self.photo_children(g7, 3), False),
                    ("reading", "", [], True),
                ],
            )
            self.publish(
                author=g7.writer_on(4),
                moment=self.past(0, 1, 13, 30),
                group=g7.group,
                title="Muziekles met de vakdocent",
                body="Deze week leerden we ritmes spelen op de djembé. Wat klonk dat goed!",
                photos=[("music", "Muziekles · Groep 7", self.photo_children(g7, 4), False)],
            )
            staff = (g12.assistants or g12.teachers)[0].user
            self.publish(
                author=staff,
                moment=self.past(1, 2, 11, 15),
                group=g12.group,
                title=walk,
                body=(
                    f"Vanochtend zijn we met de kleuters naar buiten geweest. Wat hebben we "
                    f"veel gevonden: {finds}. Alles ligt nu op de natuurtafel in de klas."
                ),
                photos=[
                    (scene, f"{walk} · Groep 1/2", self.photo_children(g12, 4), False),
                    (scene, walk, self.photo_children(g12, 2), False),
                ],
            )
            self.publish(
                author=g["Groep 4"].writer_on(3),
                moment=self.past(1, 3, 12, 0),
                group=g["Groep 4"].group,
                title="De moestuin groeit!",
                body=(
                    "De eerste plantjes komen op. De kinderen houden zelf bij hoe hard ze groeien."
                ),
                photos=[
                    ("garden", "Moestuin · Groep 4", self.photo_children(g["Groep 4"], 3), False)
                ],
            )
        else:
            g6, g4, g12, g8 = g["Groep 6"], g["Groep 4"], g["Groep 1/2"], g["Groep 8"]
            self.sports_day(g6, weeks_ago=1, photos=2)
            self.publish(
                author=g6.writer_on(3),
                moment=self.past(0, 3, 13, 0),
                group=g6.group,
                title="Tekenles: ons droomhuis",
                body=(
                    "Bij tekenen maakten we vandaag ons droomhuis. Hieronder een voorbeeld; "
                    "de rest hangt in de klas. Alleen groepsfoto's en werkjes, zoals "
                    "afgesproken."
                ),
                photos=[("drawing", "Ons droomhuis", [], True)],
            )
            self.publish(
                author=g6.writer_on(2),
                moment=self.past(2, 2, 14, 30),
                group=g6.group,
                title=walk,
                body=f"We hebben buiten les gehad en veel ontdekt: {finds}.",
                photos=[
                    (scene, f"{walk} · Groep 6", self.photo_children(g6, 4), False),
                    (scene, walk, self.photo_children(g6, 3), False),
                ],
            )
            self.publish(
                author=g4.writer_on(4),
                moment=self.past(1, 4, 11, 30),
                group=g4.group,
                title="Lezen in de leeshoek",
                body=(
                    "Onze nieuwe leeshoek is klaar! De kinderen lezen er in groepjes en "
                    "helpen elkaar met moeilijke woorden."
                ),
                photos=[
                    ("reading", "Leeshoek · Groep 4", self.photo_children(g4, 3), False),
                    ("reading", "", [], True),
                ],
            )
            self.publish(
                author=g12.writer_on(1),
                moment=self.past(0, 1, 12, 15),
                group=g12.group,
                title="Buitenspelen",
                body="Heerlijk buiten gespeeld vandaag. De glijbaan was weer favoriet!",
                photos=[
                    ("playground", "Buitenspelen · Groep 1/2", self.photo_children(g12, 3), False)
                ],
            )
            self.publish(
                author=g8.writer_on(4),
                moment=self.past(1, 4, 15, 0),
                group=g8.group,
                title="Eerste repetitie musical",
                body="De rollen zijn verdeeld en de eerste liedjes klinken al goed!",
                photos=[("music", "Musical · Groep 8", self.photo_children(g8, 5), False)],
            )

    def sports_day(self, people, *, weeks_ago, photos):
        """The sports day, with one photo of a child whose family withdraws consent later:
        the gate then hides that photo from families (staff see it marked)."""
        withdrawing = people.withdrawing
        shots = [
            ("sports", f"Sportdag · {people.group.name}", self.photo_children(people, 3), False),
            (
                "sports",
                "Estafette",
                self.photo_children(people, 2, include=[withdrawing]),
                False,
            ),
        ]
        if photos > 2:
            shots.append(("playground", "Even uitrusten", self.photo_children(people, 2), False))
        author = people.writer_on(3)
        self.sportsday_post = self.publish(
            author=author,
            moment=self.past(weeks_ago, 3, 15, 20),
            group=people.group,
            title="Wat een sportdag!",
            body=(
                "Wat hebben de kinderen vandaag hun best gedaan bij de sportdag: estafette, "
                "zaklopen en touwtrekken. Iedereen ging moe maar voldaan naar huis. Dank aan "
                "alle hulpouders!\n\n" + author.full_name.split()[0]
            ),
            photos=shots,
        )

    def school_posts(self):
        if self.slug == "lindeboom":
            title = "Nieuwe speeltoestellen op het plein"
            body = (
                "Beste ouders,\n\nDe nieuwe klimtoestellen op het kleuterplein zijn klaar. "
                "Dank aan de ouderraad voor de hulp bij het inzamelen! In de bijlage vindt u het "
                "gymrooster voor de rest van het schooljaar.\n\nMet vriendelijke groet,\nDirectie"
            )
            pdf = (
                "gymrooster.pdf",
                "Gymrooster",
                ("Groep 3 t/m 5: dinsdag en donderdag", "Groep 6 t/m 8: maandag en woensdag"),
            )
        else:
            title = "Even voorstellen: onze nieuwe intern begeleider"
            body = (
                "Beste ouders,\n\nMet ingang van deze maand is Marloes de Wit onze nieuwe "
                "intern begeleider. Zij is op maandag, dinsdag en donderdag op school. In de "
                "bijlage stelt zij zich voor.\n\nMet vriendelijke groet,\nDirectie"
            )
            pdf = (
                "kennismaking-ib.pdf",
                "Kennismaking intern begeleider",
                (
                    "Hallo allemaal! Ik ben Marloes de Wit.",
                    "U kunt mij altijd aanspreken of een bericht sturen.",
                ),
            )
        self.publish(
            author=self.direction,
            moment=self.past(1, 1, 9, 0),
            title=title,
            body=body,
            school_wide=True,
            attachments=[pdf],
        )

    # --- comments and read receipts ----------------------------------------------------

    def reactions(self):
        for post in self.posts:
            if post.is_school_wide or not post.media_links.exists():
                continue
            group_id = post.audience.values_list("group_id", flat=True).first()
            people = next(p for p in self.groups.values() if p.group.pk == group_id)
            parents = [self.guardians[c.pk][0] for c in people.children]
            personas = [u for u in parents if u.email in PERSONAS]
            writers = personas[:1] + self.rng.sample(parents, 2)
            moment = post.publish_at
            for writer in dict.fromkeys(writers):
                moment += datetime.timedelta(minutes=self.rng.randint(20, 240))
                child = next(c for c in people.children if writer in self.guardians.get(c.pk, []))
                body = self.rng.choice(texts.COMMENTS).format(name=child.first_name)
                self.comment(writer, post, body, moment)
            if getattr(self, "sportsday_post", None) == post:
                tom = self.user_by_email(TOM)
                if tom is not None and people.group.name == "Groep 5":
                    moment += datetime.timedelta(minutes=45)
                    self.comment(tom, post, texts.COMMENTS_EN[0], moment)
                moment += datetime.timedelta(minutes=30)
                self.comment(post.author, post, self.rng.choice(texts.STAFF_REPLIES), moment)
        self.reads()

    def comment(self, author, post, body, moment):
        if moment > self.now:
            return
        comment = feed_services.comment_add(actor=author, post=post, body=body)
        # Written now by the service, moved back to when the parent reacted.
        Comment.objects.filter(pk=comment.pk).update(created_at=moment)

    def user_by_email(self, email):
        for guardians in self.guardians.values():
            for user in guardians:
                if user.email == email:
                    return user
        return None

    def reads(self):
        """Most parents read most posts; the personas leave the newest two unread so the
        demo shows what "new" looks like."""
        by_parent = {}
        for guardians in self.guardians.values():
            for user in guardians:
                by_parent[user.pk] = user
        newest = sorted(self.posts, key=lambda p: p.publish_at)[-2:]
        for user in by_parent.values():
            chosen = []
            for post in self.posts:
                if user.email in PERSONAS:
                    if post not in newest:
                        chosen.append(post.pk)
                elif self.rng.random() < (0.9 if post not in newest else 0.55):
                    chosen.append(post.pk)
            feed_services.post_mark_read(actor=user, post_ids=chosen)
        for post in self.posts:
            # Recorded now by the service; read a few hours after it went out.
            read_at = min(post.publish_at + datetime.timedelta(hours=3), self.now)
            PostRead.objects.filter(post=post).update(read_at=read_at)

    # --- kindgesprek -------------------------------------------------------------------

    def send(self, actor, child, body, moment, photos=()):
        message = kindgesprek_services.message_send(
            actor=actor, child=child, body=body, photos=photos, now=moment
        )
        self.threads[child.pk] = message.thread
        return message

    def kindgesprekken(self):
        """Something personal per child, weekly where that is the school's aim: from the
        staff working that day, mostly a positive moment, now and then something that needs
        attention; some parents answer, some start a conversation themselves."""
        weekly = self.school.personal_message_coach
        for name in FOCUS_GROUPS[self.slug]:
            people = self.groups[name]
            for child in people.children:
                own = child.pk in self.persona_children
                for weeks_ago in (2, 1, 0):
                    chance = 0.85 if weekly else 0.2
                    if weeks_ago == 0:
                        chance = 0.6 if weekly else 0.1
                    if not (own or self.rng.random() < chance):
                        continue
                    weekday = self.rng.choice(self.school.staff_workdays[:5])
                    moment = self.past(weeks_ago, weekday, 15, self.rng.randint(5, 55))
                    if weeks_ago == 0 and moment.date() < self.monday:
                        continue  # that day of this week is still ahead
                    author = people.writer_on(moment.isoweekday())
                    pool = (
                        texts.PERSONAL_ATTENTION
                        if self.rng.random() < 0.15
                        else texts.PERSONAL_POSITIVE
                    )
                    self.send(
                        author, child, self.rng.choice(pool).format(name=child.first_name), moment
                    )
                    if self.rng.random() < 0.3 or (own and weeks_ago == 1):
                        reply = moment + datetime.timedelta(
                            hours=4, minutes=self.rng.randint(0, 50)
                        )
                        if reply <= self.now:
                            parent = self.guardians[child.pk][0]
                            body = self.rng.choice(texts.PARENT_REPLIES)
                            self.send(parent, child, body.format(name=child.first_name), reply)
            self.parent_questions(people)
        self.special_messages()
        self.thread_reads()

    def parent_questions(self, people):
        askers = [c for c in people.children if c.pk in self.persona_children]
        askers += self.rng.sample(people.children, 2)
        for child in dict.fromkeys(askers):
            question, answer = self.rng.choice(texts.PARENT_QUESTIONS)
            asked = self.past(self.rng.choice([0, 1, 2]), self.rng.choice([1, 2, 4]), 7, 50)
            self.send(
                self.guardians[child.pk][0], child, question.format(name=child.first_name), asked
            )
            answered = asked + datetime.timedelta(hours=7, minutes=40)
            if answered <= self.now:
                staff = people.writer_on(answered.isoweekday())
                self.send(staff, child, answer.format(name=child.first_name), answered)

    def special_messages(self):
        """The weekend photo from home, a teacher's photo of a child's work, and Tom's
        English question about his son."""
        if self.slug == "lindeboom":
            g5 = self.groups["Groep 5"]
            daan = next(c for c in g5.children if c.pk in self.persona_children)
            sanne = self.user_by_email(SANNE)
            tom = self.user_by_email(TOM)
            moment = self.past(0, 7, 18, 30)
            self.photo_message(sanne, daan, texts.WEEKEND_PHOTO, "camping", "Weekend!", moment, g5)
            asked = self.past(1, 4, 20, 10)
            self.send(tom, daan, texts.TOM_MESSAGE, asked)
            answered = asked + datetime.timedelta(hours=12, minutes=5)
            if answered <= self.now:
                self.send(g5.writer_on(answered.isoweekday()), daan, texts.TOM_REPLY, answered)
            g3 = self.groups["Groep 3"]
            child = next(c for c in g3.children if c.pk in self.persona_children)
            self.staff_photo(g3, child, self.past(1, 2, 14, 45))
        else:
            g6 = self.groups["Groep 6"]
            amira = next(c for c in g6.children if c.pk in self.persona_children)
            ahmed = self.user_by_email(AHMED)
            moment = self.past(1, 7, 17, 0)
            self.photo_message(ahmed, amira, texts.WEEKEND_PHOTO, "beach", "Weekend", moment, g6)
            g4 = self.groups["Groep 4"]
            child = next(c for c in g4.children if c.pk in self.persona_children)
            self.staff_photo(g4, child, self.past(0, 1, 14, 30))

    def photo_message(self, parent, child, pair, scene, caption, moment, people):
        data = pictures.scene_jpeg(scene, self.rng.randint(1, 10_000), caption)
        photo = SimpleUploadedFile(f"{scene}.jpg", data, content_type="image/jpeg")
        message = self.send(parent, child, pair[0].format(name=child.first_name), moment, [photo])
        self.tag_message_photos(message, people.writer_on(1), child, moment)
        answered = moment + datetime.timedelta(hours=14, minutes=30)
        if answered <= self.now:
            staff = people.writer_on(answered.isoweekday())
            self.send(staff, child, pair[1].format(name=child.first_name), answered)

    def staff_photo(self, people, child, moment):
        author = people.writer_on(moment.isoweekday())
        data = pictures.scene_jpeg("drawing", self.rng.randint(1, 10_000), child.first_name)
        photo = SimpleUploadedFile("tekening.jpg", data, content_type="image/jpeg")
        message = self.send(
            author, child, texts.STAFF_DRAWING.format(name=child.first_name), moment, [photo]
        )
        self.tag_message_photos(message, author, child, moment)

    def tag_message_photos(self, message, staff, child, moment):
        for link in message.media_links.select_related("item"):
            # The child is in it: the gate then asks the child's consent like any photo.
            media_services.media_tags_set(actor=staff, item=link.item, child_ids=[child.pk])
            media_services.media_make_variants(item_id=link.item_id)
        MediaItem.objects.filter(message_link__message=message).update(created_at=moment)

    def thread_reads(self):
        """Parents read what the school wrote a few hours later and staff read parents'
        messages the next morning, as far as that moment has passed. Sanne has not yet read
        the newest message about Daan, so the demo shows an unread badge."""
        for child_id, thread in self.threads.items():
            messages = list(Message.objects.filter(thread=thread).order_by("sent_at", "pk"))
            last_staff = max(
                (m.sent_at for m in messages if m.author_side == "staff"), default=None
            )
            last_parent = max(
                (m.sent_at for m in messages if m.author_side == "parent"), default=None
            )
            if last_staff is not None:
                for parent in self.guardians.get(child_id, []):
                    moment = last_staff + datetime.timedelta(hours=3)
                    if parent.email == SANNE:
                        moment = last_staff - datetime.timedelta(minutes=1)
                    kindgesprek_services.thread_mark_read(
                        actor=parent, thread=thread, now=min(moment, self.now)
                    )
            if last_parent is not None:
                people = next(
                    p for p in self.groups.values() if p.group.pk == thread.child.group_id
                )
                next_morning = self.at(last_parent.date() + datetime.timedelta(days=1), 8, 10)
                if next_morning <= self.now:
                    for staff in people.teachers:
                        kindgesprek_services.thread_mark_read(
                            actor=staff.user, thread=thread, now=next_morning
                        )

    # --- absences ----------------------------------------------------------------------

    def absences(self):
        """This week's absences (the school week that holds today, as the staff's week view
        shows it): sick, planned ahead, and one reported too late for the teacher."""
        days = absence_selectors.school_days(self.today, self.school.staff_workdays)
        phone = self.school.absence_mode == School.AbsenceMode.PHONE
        taken = set()

        def pick(people, persona=False):
            pool = [
                c
                for c in people.children
                if c.pk not in taken and (c.pk in self.persona_children) == persona
            ]
            child = pool[0] if persona else self.rng.choice(pool)
            taken.add(child.pk)
            return child

        focus = [self.groups[n] for n in FOCUS_GROUPS[self.slug]]
        before_week = self.at(days[0] - datetime.timedelta(days=3), 19, 30)
        # Planned ahead: reported last Friday evening for later this week.
        persona_group = focus[2] if self.slug == "lindeboom" else focus[1]
        child = pick(persona_group, persona=True)
        self.absence(
            child,
            "appointment",
            days[2],
            before_week,
            note=texts.ABSENCE_NOTES["dentist"],
            part="afternoon",
        )
        self.absence(
            pick(focus[0]), "other", days[-1], before_week, note=texts.ABSENCE_NOTES["wedding"]
        )
        # Sick: on the first school day and, where it has come, the third; the morning
        # itself when that has passed, else the evening before.
        for index, people in ((0, focus[1]), (min(2, len(days) - 1), focus[-1])):
            day = days[index]
            morning = self.at(day, 7, 40)
            moment = (
                morning if morning <= self.now else self.at(day - datetime.timedelta(1), 20, 15)
            )
            if moment > self.now:
                continue
            child = pick(people)
            end = day + datetime.timedelta(days=1) if index == 0 else day
            if phone and self.at(day, 8, 5) <= self.now:
                self.absence(
                    child,
                    "sick",
                    day,
                    self.at(day, 8, 5),
                    end=end,
                    note=texts.ABSENCE_NOTES["phone"],
                    by_phone=True,
                )
            else:
                self.absence(
                    child,
                    "sick",
                    day,
                    moment,
                    end=end,
                    note=texts.ABSENCE_NOTES["sick_app"].format(name=child.first_name),
                )
        # Late: after the cut-off on the latest school day that has begun. A sick report
        # after the cut-off where the app is the way to report (the teacher has stopped
        # looking), otherwise an appointment for the same day (a day's notice is the rule).
        started = [d for d in days if self.at(d, 0, 0) <= self.now]
        day = started[-1] if started else days[0]
        ideal = self.at(day, 8, 40)
        moment = max(self.at(day, 0, 0), min(ideal, self.now)) if started else None
        child = pick(focus[-1])
        if moment is not None and not phone and moment == ideal:
            self.absence(child, "sick", day, moment, note=texts.ABSENCE_NOTES["sick_late"])
        elif moment is not None:
            self.absence(child, "appointment", day, moment, note=texts.ABSENCE_NOTES["late"])

    def absence(
        self, child, kind, start, moment, *, end=None, note="", part="whole", by_phone=False
    ):
        guardian = self.guardians[child.pk][0]
        if by_phone:
            absence_services.absence_report(
                actor=self.administration,
                children=[child],
                kind=kind,
                start=start,
                end=end,
                part=part,
                note=note,
                now=moment,
                on_behalf_of=guardian,
            )
        else:
            absence_services.absence_report(
                actor=guardian,
                children=[child],
                kind=kind,
                start=start,
                end=end,
                part=part,
                note=note,
                now=moment,
            )

    # --- meetings, help, agenda -------------------------------------------------------

    def meetings(self):
        """A round of parent meetings whose booking opened a few days ago and closes next
        week, with meetings the week after; about half the families have booked."""
        names = ["Groep 5", "Groep 7"] if self.slug == "lindeboom" else ["Groep 4", "Groep 6"]
        groups = [self.groups[n] for n in names]
        opens_at = self.at(self.today - datetime.timedelta(days=4), 8, 0)
        next_monday = self.monday + datetime.timedelta(days=7)
        closes_at = self.at(next_monday + datetime.timedelta(days=4), 12, 0)
        meeting_monday = next_monday + datetime.timedelta(days=7)
        plans = []
        for offset, people in enumerate(groups):
            for staff in people.teachers:
                weekday = staff.workdays[min(1 + offset, len(staff.workdays) - 1)]
                plans.append(
                    round_services.SlotPlan(
                        group=people.group,
                        staff=staff.user,
                        day=meeting_monday + datetime.timedelta(days=weekday - 1),
                        start=datetime.time(15, 0),
                        end=(
                            datetime.time(17, 30)
                            if len(people.teachers) > 1
                            else datetime.time(20, 0)
                        ),
                        room=f"Lokaal {people.group.grade}",
                        breaks=((datetime.time(17, 30), datetime.time(18, 0)),),
                    )
                )
        title = "Voortgangsgesprekken" if self.slug == "lindeboom" else "Tienminutengesprekken"
        round_ = round_services.round_create(
            actor=self.direction,
            school=self.school,
            title=title,
            duration_minutes=10,
            groups=[p.group for p in groups],
            opens_at=opens_at,
            closes_at=closes_at,
            plans=plans,
            purpose=texts.ROUND_PURPOSE,
        )
        # The invitation went out in the feed when booking opened.
        invitation = Post.objects.filter(school=self.school).latest("pk")
        self.backdate_post(invitation, opens_at)
        self.posts.append(invitation)
        slots = list(round_.slots.order_by("starts_at", "pk"))
        for people in groups:
            free = [s for s in slots if s.group_id == people.group.pk]
            for child in people.children:
                if child.pk in self.persona_children and child.first_name == "Daan":
                    continue  # Sanne still has to choose a time: the demo shows booking
                if self.rng.random() < 0.5 and free:
                    slot = free.pop(self.rng.randrange(len(free)))
                    round_services.booking_create(
                        actor=self.guardians[child.pk][0], slot=slot, child=child, now=self.now
                    )
        self.help_request(groups[0] if self.slug == "lindeboom" else groups[1])
        self.agenda(round_, groups)

    def help_request(self, people):
        day = self.school_day_ahead(10)
        author = people.writer_on(self.today.isoweekday() if self.today.isoweekday() <= 5 else 1)
        if self.slug == "lindeboom":
            title, roles = (
                "Begeleiders voor de excursie naar het bos",
                [
                    ("Begeleider (groepje van 5 kinderen)", 4),
                    ("Rijdende ouder (3 kinderen in de auto)", 3),
                ],
            )
            description = "We vertrekken om 8.45 uur en zijn rond 14.30 uur terug op school."
        else:
            title, roles = (
                "Hulpouders voor de sportdag",
                [
                    ("Spelbegeleider", 6),
                    ("Fruit en limonade", 2),
                ],
            )
            description = "Van 9.00 tot 12.00 uur op het sportveld naast de school."
        self.help_day = (people, title, day)
        request = help_services.help_request_create(
            actor=author,
            group=people.group,
            title=title,
            date=day,
            closes_at=self.at(day - datetime.timedelta(days=2), 12, 0),
            roles=roles,
            description=description,
        )
        parents = [
            self.guardians[c.pk][0] for c in people.children if c.pk not in self.persona_children
        ]
        for role in HelpRole.objects.filter(request=request).order_by("pk"):
            for parent in self.rng.sample(parents, min(role.needed - 1, 3)):
                help_services.help_signup(actor=parent, role=role, now=self.now)

    def agenda(self, round_, groups):
        leader = self.administration
        study_day = self.school_day_ahead(16)
        agenda = agenda_services.agenda_item_create
        agenda(
            actor=leader,
            school=self.school,
            date=study_day,
            kind="study_day",
            title="Studiedag: alle kinderen vrij",
            description="Het team volgt een scholing. De kinderen zijn deze dag vrij.",
        )
        holiday = self.monday + datetime.timedelta(weeks=6)
        agenda(
            actor=leader,
            school=self.school,
            date=holiday - datetime.timedelta(days=2),
            end_date=holiday + datetime.timedelta(days=6),
            kind="holiday",
            title=_holiday_name(holiday),
        )
        agenda(
            actor=leader,
            school=self.school,
            date=self.school_day_ahead(22),
            kind="other",
            title="Kijkmiddag: ouders welkom in de klas",
            description="Van 14.30 tot 15.15 uur laten de kinderen zien waaraan ze werken.",
        )
        helped, title, day = self.help_day
        for people in groups:
            days = sorted(
                {
                    timezone.localtime(s.starts_at, self.tz).date()
                    for s in round_.slots.filter(group=people.group)
                }
            )
            agenda(
                actor=leader,
                school=self.school,
                group=people.group,
                date=days[0],
                end_date=days[-1] if days[-1] != days[0] else None,
                kind="meeting",
                title=round_.title,
            )
        agenda(
            actor=leader,
            school=self.school,
            group=helped.group,
            date=day,
            kind="trip",
            title=title.replace("Begeleiders voor de ", "")
            .replace("Hulpouders voor de ", "")
            .capitalize(),
        )
        sports = getattr(self, "sportsday_post", None)
        if sports is not None:
            agenda(
                actor=leader,
                school=self.school,
                group=sports.audience.first().group,
                date=timezone.localtime(sports.publish_at, self.tz).date(),
                kind="other",
                title="Sportdag",
            )

    # --- newsletter and digest ---------------------------------------------------------

    def newsletter(self):
        """Last newsletter day's newsletter, sent: written a week before by the
        administration, scheduled, and published on its day through the messaging service."""
        month = self.today.replace(day=1)
        if periods.newsletter_moment(self.school, month) > self.now:
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        moment = periods.newsletter_moment(self.school, month)
        written = moment - datetime.timedelta(days=7)
        name = f"{texts.MONTHS[month.month - 1]} {month.year}"
        body = (
            f"<h2>Nieuwsbrief {name}</h2>"
            "<p>Beste ouders en verzorgers,</p>"
            "<p>Wat fijn dat we weer een maand vol leren en spelen achter de rug hebben. In deze "
            "nieuwsbrief leest u wat er de komende weken op het programma staat.</p>"
            "<h3>Uit de groepen</h3>"
            "<ul><li>De groepen 5 en 7 houden binnenkort hun voortgangsgesprekken.</li>"
            "<li>De kleuters werken aan een nieuw thema.</li>"
            "<li>Groep 8 is begonnen met de repetities voor de musical.</li></ul>"
            "<h3>Praktisch</h3>"
            "<p>Ziek? Meld het zoals de school dat vraagt. De jaarkalender zit als pdf in de "
            "bijlage.</p>"
            "<p>Met vriendelijke groet,<br>Het team</p>"
        )
        pdf = SimpleUploadedFile(
            "jaarkalender.pdf",
            pictures.text_pdf(
                f"Jaarkalender {self.school.name}",
                ("Studiedagen, vakanties en ouderavonden staan ook in de agenda van Schoolbrug.",),
            ),
            "application/pdf",
        )
        newsletter = digest_services.newsletter_create(
            actor=self.administration,
            school=self.school,
            title=f"Nieuwsbrief {name}",
            body=body,
            month=month,
            attachment=pdf,
            now=written,
        )
        digest_services.newsletter_schedule(
            actor=self.administration, newsletter=newsletter, now=written
        )
        digest_services.newsletter_publish(newsletter=newsletter, now=moment)
        newsletter.refresh_from_db()
        self.backdate_post(newsletter.post, moment)
        self.posts.append(newsletter.post)
        run = MailRun.objects.get(
            kind=digest_services.NEWSLETTER, period_key=periods.month_key(self.school, month)
        )
        self.send_run(run, moment)

    def digest(self):
        """The last Friday digest, sent: run and one delivery per parent, as mailings keeps
        them, sent through mailings' exactly-once processing."""
        weekday, time = self.school.digest_weekday, self.school.digest_time
        day = self.today - datetime.timedelta(days=(self.today.isoweekday() - weekday) % 7)
        moment = datetime.datetime.combine(day, time, tzinfo=self.tz)
        if moment > self.now:
            moment = datetime.datetime.combine(
                day - datetime.timedelta(days=7), time, tzinfo=self.tz
            )
        run = mailings.mail_run_open(
            **digest_services.digest_run_args(school=self.school, moment=moment)
        )
        self.send_run(run, moment)

    def send_run(self, run, moment):
        # Sent here rather than by the task after commit, so the run is done when seeding
        # is (also inside a test's transaction); the task later finds nothing left to send.
        mailings.mail_run_process(run=run)
        # Sent now; moved back to the moment it went out.
        sent = moment + datetime.timedelta(minutes=2)
        MailRun.objects.filter(pk=run.pk).update(created_at=moment, finished_at=sent)
        MailDelivery.objects.filter(run=run, sent_at__isnull=False).update(
            sent_at=sent, claimed_at=moment
        )


def _holiday_name(day: datetime.date) -> str:
    names = {
        1: "Kerstvakantie",
        2: "Voorjaarsvakantie",
        3: "Voorjaarsvakantie",
        4: "Meivakantie",
        5: "Meivakantie",
        7: "Zomervakantie",
        8: "Zomervakantie",
        10: "Herfstvakantie",
        12: "Kerstvakantie",
    }
    return names.get(day.month, "Vakantie")
