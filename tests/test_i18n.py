"""Dutch is the default language: every source string has a Dutch translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent


def _catalogues():
    return sorted(
        path
        for path in ROOT.glob("**/locale/nl/LC_MESSAGES/django.po")
        if ".venv" not in path.parts
    )


def test_every_dutch_entry_is_translated():
    problems = []
    for path in _catalogues():
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            translated = (
                all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            )
            if not translated or "fuzzy" in entry.flags:
                problems.append(f"{path.relative_to(ROOT)}: {entry.msgid!r}")
    assert problems == []


def test_catalogues_hold_every_source_string():
    """makemessages finds no string that the catalogues lack (run `make messages`)."""
    if shutil.which("xgettext") is None:
        if REQUIRE_SERVICES:
            pytest.fail("GNU gettext is needed to check the catalogues")
        pytest.skip("GNU gettext is not installed")  # REQUIRE_SERVICES is off: a laptop
    before = {path: path.read_bytes() for path in _catalogues()}
    try:
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "nl", "--add-location=file"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        missing = []
        for path in _catalogues():
            old = (
                {e.msgid for e in polib.pofile(before[path].decode())} if path in before else set()
            )
            new = {e.msgid for e in polib.pofile(str(path)) if not e.obsolete}
            missing += [f"{path.relative_to(ROOT)}: {m!r}" for m in sorted(new - old)]
    finally:
        for path in _catalogues():
            if path in before:
                path.write_bytes(before[path])
            else:
                path.unlink()
    assert missing == []
