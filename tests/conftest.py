"""Fixed personas shared by every test (see ARCHITECTURE.md, Tests)."""

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from groups.models import StaffMembership
from tests import clock
from tests.factories import (
    PASSWORD,
    ChildFactory,
    GroupFactory,
    GuardianshipFactory,
    SchoolFactory,
    StaffMembershipFactory,
    UserFactory,
)

Role = StaffMembership.Role
REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_postgres():
    """For tests that prove something only PostgreSQL can: fail in CI, skip elsewhere."""
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (set DATABASE_URL)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)  # REQUIRE_SERVICES is off: a laptop without PostgreSQL


# --- The clock (see tests/clock.py) ----------------------------------------------------------


def pytest_addoption(parser):
    group = parser.getgroup("clock", "the suite's frozen clock")
    group.addoption(
        "--clock-record",
        metavar="DIR",
        help="write the ids of the tests in which the app or the test read the clock into DIR",
    )
    group.addoption(
        "--clock-sweep",
        metavar="DIR",
        help="run the tests recorded in DIR at every sweep moment (see tests/clock.py)",
    )


def pytest_generate_tests(metafunc):
    if not metafunc.config.getoption("clock_sweep"):
        return
    # A test that fixes its own moment (@pytest.mark.clock) is explicit about time and is
    # not swept; only tests living on the suite's default moment are.
    if not metafunc.definition.get_closest_marker("clock"):
        metafunc.parametrize(
            "clock_moment", clock.SWEEP, ids=[m.name for m in clock.SWEEP], indirect=True
        )


def _unswept_id(item) -> str:
    """The id the recording run saw: this item's id without its sweep moment, which may
    stand anywhere among the test's own parameters ("[1-monday-0755]", "[monday-0755-1]")."""
    moment = item.callspec.params["clock_moment"].name
    inner = item.callspec.id
    head = item.nodeid[: len(item.nodeid) - len(inner) - 2]
    rest = [part for part in f"-{inner}-".split(f"-{moment}-", 1) if part.strip("-")]
    return f"{head}[{'-'.join(part.strip('-') for part in rest)}]" if rest else head


def pytest_collection_modifyitems(config, items):
    folder = config.getoption("clock_sweep")
    if not folder:
        return
    if not Path(folder).is_dir():
        raise pytest.UsageError(f"--clock-sweep: nothing recorded in {folder} (--clock-record)")
    readers = {
        line
        for path in Path(folder).glob("*.txt")
        for line in path.read_text().splitlines()
        if line
    }
    keep, drop = [], []
    for item in items:
        swept = "clock_moment" in getattr(getattr(item, "callspec", None), "params", {})
        (keep if swept and _unswept_id(item) in readers else drop).append(item)
    items[:] = keep
    config.hook.pytest_deselected(items=drop)


def pytest_configure(config):
    config.clock_readers = set()
    if config.getoption("clock_sweep"):
        # Read when test modules are imported (clock.examples), in xdist's workers too.
        os.environ["SCHOOLBRUG_CLOCK_SWEEP"] = "1"


def pytest_sessionfinish(session):
    folder = session.config.getoption("clock_record")
    if not folder:
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    Path(folder).mkdir(parents=True, exist_ok=True)
    readers = sorted(session.config.clock_readers)
    (Path(folder) / f"{worker}.txt").write_text("".join(f"{r}\n" for r in readers))


@pytest.fixture
def clock_moment(request):
    """The moment this test runs at: its own (@pytest.mark.clock(aware datetime)), a sweep
    moment, or the suite's default."""
    moment = getattr(request, "param", None) or clock.default_moment()
    marker = request.node.get_closest_marker("clock")
    return moment.moved_to(marker.args[0]) if marker else moment


@pytest.fixture(autouse=True)
def clock_now(request, clock_moment):
    """Every test runs at a fixed moment (ticking on from there), never the machine's."""
    with clock.frozen_at(clock_moment) as frozen:
        yield frozen
    if frozen.spy.read:
        request.config.clock_readers.add(request.node.nodeid)


def xdist_index() -> int:
    """Which of pytest-xdist's test processes this is (0 without xdist)."""
    return int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def redis_test_db() -> int:
    """A Redis database number of this test process's own, counted down from the last of
    Redis's sixteen so it never meets the broker's and cache's low numbers."""
    index = xdist_index()
    if index > 7:
        raise RuntimeError("more than 8 test processes would share Redis databases")
    return 15 - index


@pytest.fixture(scope="session", autouse=True)
def _private_media_root(tmp_path_factory):
    """Uploads land in a folder of this test process's own, never in the checkout's media/
    and never in another xdist worker's; a test may still point MEDIA_ROOT elsewhere."""
    from django.conf import settings

    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: ids repeat between tests on SQLite, and a count
    cached in one test must not answer in the next."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@dataclass
class Personas:
    school: object
    other_school: object
    group_a: object
    group_b: object
    group_x: object
    child_a: object
    child_a2: object
    child_b: object
    child_x: object
    teacher_a: object
    assistant_a: object
    direction: object
    parent_a: object
    separated_parent_a: object
    blocked_parent_a: object
    parent_b: object
    multi_school_parent: object
    admin: object
    other_admin: object
    outsider: object


@pytest.fixture
def personas(db):
    school = SchoolFactory(name="Alpha school", slug="alpha")
    other_school = SchoolFactory(name="Beta school", slug="beta")
    group_a = GroupFactory(school=school, name="Groep 5a")
    group_b = GroupFactory(school=school, name="Groep 6b")
    group_x = GroupFactory(school=other_school, name="Groep 3x")
    # Fixed names: tests look for them in pages, so a random surname must never contain
    # another child's first name (a generated "van Noordeloos" once matched "Noor").
    child_a = ChildFactory(group=group_a, first_name="Daan", last_name="de Boer")
    child_a2 = ChildFactory(group=group_a, first_name="Mila", last_name="Smit")
    child_b = ChildFactory(group=group_b, first_name="Sem", last_name="Jansen")
    child_x = ChildFactory(group=group_x, first_name="Noor", last_name="Visser")

    def user(email, name):
        return UserFactory(email=email, full_name=name)

    p = Personas(
        school=school,
        other_school=other_school,
        group_a=group_a,
        group_b=group_b,
        group_x=group_x,
        child_a=child_a,
        child_a2=child_a2,
        child_b=child_b,
        child_x=child_x,
        teacher_a=user("teacher.a@alpha.example", "Anna Teacher"),
        assistant_a=user("assistant.a@alpha.example", "Ilse Assistant"),
        direction=user("direction@alpha.example", "Dirk Direction"),
        parent_a=user("parent.a@example.org", "Sanne Parent"),
        separated_parent_a=user("separated.a@example.org", "Tom Separated"),
        blocked_parent_a=user("blocked.a@example.org", "Bart Blocked"),
        parent_b=user("parent.b@example.org", "Bea Parent"),
        multi_school_parent=user("multi@example.org", "Lotte Multi"),
        admin=user("admin@alpha.example", "Alma Admin"),
        other_admin=user("admin@beta.example", "Bert Admin"),
        outsider=user("outsider@example.org", "Otto Outsider"),
    )
    StaffMembershipFactory(user=p.teacher_a, school=school, role=Role.TEACHER, groups=[group_a])
    StaffMembershipFactory(user=p.assistant_a, school=school, role=Role.ASSISTANT, groups=[group_a])
    StaffMembershipFactory(user=p.direction, school=school, role=Role.DIRECTION)
    StaffMembershipFactory(user=p.admin, school=school, role=Role.ADMINISTRATION)
    StaffMembershipFactory(user=p.other_admin, school=other_school, role=Role.ADMINISTRATION)
    for admin in (p.admin, p.other_admin):
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
    GuardianshipFactory(guardian=p.parent_a, child=child_a)
    GuardianshipFactory(guardian=p.separated_parent_a, child=child_a)
    GuardianshipFactory(guardian=p.blocked_parent_a, child=child_a, receives_communication=False)
    GuardianshipFactory(guardian=p.parent_b, child=child_b)
    GuardianshipFactory(guardian=p.multi_school_parent, child=child_a2)
    GuardianshipFactory(guardian=p.multi_school_parent, child=child_x)
    return p


@pytest.fixture
def login(client):
    """Log a persona in through the real login form's backend."""

    def _login(user):
        assert client.login(username=user.email, password=PASSWORD)
        return client

    return _login


# --- Browser tests -------------------------------------------------------------------------
# Playwright's sync API keeps an event loop in the test thread; Django would refuse ORM calls
# from a thread with a running loop, although they are synchronous here. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
            headless=True,
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh phone-sized browser context against the live test server, in Dutch."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="nl-NL",
        viewport={"width": 390, "height": 844},
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()
    _wait_for_live_server_requests()


def _wait_for_live_server_requests(timeout=10.0):
    """A page's script may still be talking to the live server (the feed reports what was
    on screen). Flushing the test database under such a request deadlocks on PostgreSQL and
    leaves rows for the next test, so wait until the server's request threads are done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any("process_request_thread" in t.name for t in threading.enumerate()):
            return
        time.sleep(0.05)


@pytest.fixture
def browser_login(page):
    """Log in through the real login form, as a person would."""

    def _login(email, password=PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("E-mailadres").fill(email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/")
        return page

    return _login
