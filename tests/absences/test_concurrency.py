import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from absences.models import AbsenceReport
from absences.services import absence_report
from tests.absences.conftest import NORMAL_MONDAY
from tests.conftest import require_postgres


@pytest.mark.django_db(transaction=True)
def test_two_guardians_reporting_at_the_same_moment_make_one_report(personas, clock):
    """The child rows are locked while checking for overlaps, so the second report waits
    and then sees the first: a clear message, never a duplicate."""
    require_postgres()
    clock(NORMAL_MONDAY, 7, 45)
    barrier = threading.Barrier(2)
    outcomes = []

    def report(guardian):
        try:
            barrier.wait()
            absence_report(
                actor=guardian, children=[personas.child_a], kind="sick", start=NORMAL_MONDAY
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=report, args=(guardian,))
        for guardian in (personas.parent_a, personas.separated_parent_a)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]
    assert AbsenceReport.objects.count() == 1
