"""The consent ledger is append-only below the ORM too: raw SQL, other clients and bulk
updates cannot rewrite or erase a decision on PostgreSQL. SQLite (the embedded dev default)
has no such guarantee and relies on the model's own refusal."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION privacy_consentevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'privacy_consentevent is append-only: ' || TG_OP || ' is not allowed',
        ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER privacy_consentevent_append_only
    BEFORE UPDATE OR DELETE ON privacy_consentevent
    FOR EACH ROW EXECUTE FUNCTION privacy_consentevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS privacy_consentevent_append_only ON privacy_consentevent;
DROP FUNCTION IF EXISTS privacy_consentevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_ledger"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
