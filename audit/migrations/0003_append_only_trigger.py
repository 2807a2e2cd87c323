"""On PostgreSQL, the database itself refuses UPDATE and DELETE of audit and access-log rows,
whatever code (or person with a SQL prompt and the application's role) tries. TRUNCATE is
left alone so test databases can be flushed; the application never truncates."""

from django.db import migrations

TABLES = ("audit_auditevent", "audit_accesslog")

CREATE = """
CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # A plain cursor: the function body's % placeholders are PL/pgSQL's, not query parameters.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CREATE)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION audit_append_only();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_log")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
