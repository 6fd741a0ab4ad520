"""No two overlapping slots of one staff member within a round, enforced by PostgreSQL.

An ExclusionConstraint in Meta would break SQLite (used by `make run` without a server), so
the constraint is added here only when the database is PostgreSQL. The service validates the
same rule on every database.
"""

from django.db import migrations

CONSTRAINT = "meetings_slot_no_staff_overlap"


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE meetings_slot ADD CONSTRAINT {CONSTRAINT} EXCLUDE USING gist "
        "(round_id WITH =, staff_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)"
    )


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE meetings_slot DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add, remove, elidable=False)]
