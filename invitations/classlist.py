"""Reading a class list (CSV from the pupil administration) into a plan. No writes here.

The plan says, per line, what an import would do: create a child, move a child to
another group, or nothing, and which guardians get an invitation. Any error (in the file
or in a row) blocks the whole import, so a half-imported class never exists.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Child, Group, Guardianship, school_year_for

from .models import Invitation

MAX_BYTES = 1024 * 1024  # A school of 1,000 children is about 100 kB.
MAX_ROWS = 2000

# Header names as pupil administrations export them (Dutch) or as people write them.
COLUMNS = {
    "first_name": {"voornaam", "roepnaam", "firstname"},
    "infix": {"tussenvoegsel", "tussenvoegsels", "infix"},
    "last_name": {"achternaam", "lastname", "surname"},
    "group": {"groep", "group", "klas", "class"},
    "email1": {"emailouder1", "emailverzorger1", "ouder1email", "guardian1email", "email1"},
    "email2": {"emailouder2", "emailverzorger2", "ouder2email", "guardian2email", "email2"},
}
REQUIRED = ("first_name", "last_name", "group", "email1")
COLUMN_LABELS = {
    "first_name": "voornaam",
    "last_name": "achternaam",
    "group": "groep",
    "email1": "e-mail ouder 1",
}


class ClassListError(ValidationError):
    """The file as a whole cannot be read."""


@dataclass
class Row:
    line: int
    first_name: str
    last_name: str
    group_name: str
    emails: list[str]
    group: Group | None = None
    child: Child | None = None
    action: str = ""  # "create", "move" or "unchanged"
    invite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def old_group(self):
        return self.child.group if self.child else None


@dataclass
class Plan:
    school: object
    school_year: int
    rows: list[Row]

    @property
    def errors(self):
        return [(row.line, error) for row in self.rows for error in row.errors]

    @property
    def is_valid(self):
        return not self.errors

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created_count(self):
        return self.count("create")

    @property
    def moved_count(self):
        return self.count("move")

    @property
    def unchanged_count(self):
        return self.count("unchanged")

    @property
    def invitation_count(self):
        return sum(len(row.invite) for row in self.rows)

    @property
    def changes(self):
        return [row for row in self.rows if row.action != "unchanged" or row.invite]


def _normalise(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch.isalnum())


def _decode(content: bytes) -> str:
    if not content or not content.strip():
        raise ClassListError(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise ClassListError(
            _("The file is larger than %(size)d MB; a class list is much smaller.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ClassListError(
            _("The file is not UTF-8 text. Export the list again as “CSV UTF-8”.")
        ) from None
    if "\x00" in text:
        raise ClassListError(_("This is not a CSV text file."))
    return text


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = next((k for k, names in COLUMNS.items() if _normalise(name) in names), None)
        if key and key not in found:
            found[key] = index
    missing = [COLUMN_LABELS[key] for key in REQUIRED if key not in found]
    if missing:
        if len(header) == 1 and ";" in header[0]:
            raise ClassListError(
                _("The file is separated by semicolons. Export it with commas (CSV UTF-8).")
            )
        raise ClassListError(
            _("The file misses these columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return found


def _read(text: str) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if not header:
            raise ClassListError(_("The file is empty."))
        columns = _columns(header)
        rows = []
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            rows.append((reader.line_num, values))
            if len(rows) > MAX_ROWS:
                raise ClassListError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    except csv.Error as error:
        raise ClassListError(
            _("The file is not valid CSV (line %(line)d).") % {"line": reader.line_num}
        ) from error
    if not rows:
        raise ClassListError(_("The file has a header but no children."))
    return columns, rows


def _cell(values, columns, key):
    index = columns.get(key)
    if index is None or index >= len(values):
        return ""
    return values[index].strip()


def _key(first_name, last_name):
    return (first_name.casefold(), last_name.casefold())


def plan_class_list(*, school, content: bytes) -> Plan:
    """What importing this file into the school would do. Raises ClassListError for a file
    that cannot be read; row problems are in the plan's errors."""
    columns, raw_rows = _read(_decode(content))
    school_year = school_year_for(timezone.localdate(timezone=school.tz))
    groups = {
        group.name.casefold(): group
        for group in Group.objects.filter(school=school, school_year=school_year)
    }
    existing: dict[tuple, list[Child]] = {}
    for child in Child.objects.filter(school=school).select_related("group"):
        existing.setdefault(_key(child.first_name, child.last_name), []).append(child)
    guardians = set(
        Guardianship.objects.filter(child__school=school).values_list("child_id", "guardian__email")
    )
    open_invitations = set(
        Invitation.objects.open()
        .filter(school=school, kind=Invitation.Kind.GUARDIAN)
        .values_list("child_id", "email")
    )

    rows, seen = [], {}
    for line, values in raw_rows:
        infix = _cell(values, columns, "infix")
        last_name = _cell(values, columns, "last_name")
        row = Row(
            line=line,
            first_name=_cell(values, columns, "first_name"),
            last_name=f"{infix} {last_name}".strip() if infix else last_name,
            group_name=_cell(values, columns, "group"),
            emails=[],
        )
        rows.append(row)
        if not row.first_name or not row.last_name:
            row.errors.append(_("First name and last name are required."))
        row.group = groups.get(row.group_name.casefold())
        if row.group is None:
            row.errors.append(
                _("Unknown group “%(group)s” for %(year)s.")
                % {"group": row.group_name, "year": f"{school_year}–{school_year + 1}"}
            )
        for key in ("email1", "email2"):
            email = _cell(values, columns, key).lower()
            if not email:
                if key == "email1":
                    row.errors.append(_("The e-mail address of guardian 1 is missing."))
                continue
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(
                    _("“%(email)s” is not a valid e-mail address.") % {"email": email}
                )
                continue
            if email not in row.emails:
                row.emails.append(email)
        key = _key(row.first_name, row.last_name)
        if row.first_name and key in seen:
            row.errors.append(
                _("%(name)s is also on line %(line)d.")
                % {"name": f"{row.first_name} {row.last_name}", "line": seen[key]}
            )
        seen.setdefault(key, line)
        matches = existing.get(key, [])
        if len(matches) > 1:
            row.errors.append(
                _("The school has more than one child called %(name)s; change them in the admin.")
                % {"name": f"{row.first_name} {row.last_name}"}
            )
        if row.errors:
            continue
        row.child = matches[0] if matches else None
        if row.child is None:
            row.action = "create"
            row.invite = list(row.emails)
        else:
            row.action = "move" if row.child.group_id != row.group.pk else "unchanged"
            row.invite = [
                email
                for email in row.emails
                if (row.child.pk, email) not in guardians
                and (row.child.pk, email) not in open_invitations
            ]
    return Plan(school=school, school_year=school_year, rows=rows)
