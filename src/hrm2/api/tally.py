"""Exact list totals without COUNT(*) over the whole table on every request.

Triggers keep ``TableTally`` up to date in the same transaction as the change, for any writer
(ORM, bulk insert, raw SQL, another process): ``row_count`` is the row count and ``version``
grows on every change. An unfiltered total is one primary-key read; a filtered total is cached
per process under the table's version, so it is recounted only after the table changed.

Where the tally row is missing (a test flush removed it) every count falls back to COUNT(*).

A migration that makes SQLite rebuild a tallied table (adding a column with a default does)
drops its triggers: it must ``uninstall`` first and ``install`` again at its end, as
``resumes/0005`` does.
"""

from django.db import connections

TALLY_TABLE = "hrm2_api_tabletally"
MAX_CACHED_COUNTS = 1024

_SQLITE = {
    "insert": "row_count = row_count + 1, version = version + 1",
    "delete": "row_count = row_count - 1, version = version + 1",
    "update": "version = version + 1",
}
_POSTGRES = {
    "insert": ("NEW TABLE AS changed", "row_count = row_count + (SELECT count(*) FROM changed)"),
    "delete": ("OLD TABLE AS changed", "row_count = row_count - (SELECT count(*) FROM changed)"),
    "update": ("", "row_count = row_count"),
}


def install(schema_editor, table: str) -> None:
    """Create the triggers on ``table`` and its tally row (from a migration)."""
    vendor = schema_editor.connection.vendor
    quoted = schema_editor.quote_name(table)
    statements = []
    if vendor == "sqlite":
        for event, assignment in _SQLITE.items():
            statements.append(
                f"CREATE TRIGGER {table}_tally_{event} AFTER {event.upper()} ON {quoted} "
                f"BEGIN UPDATE {TALLY_TABLE} SET {assignment} WHERE table_name = '{table}'; END"
            )
    elif vendor == "postgresql":
        for event, (transition, assignment) in _POSTGRES.items():
            function = f"{table}_tally_{event}"
            statements.append(
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN UPDATE {TALLY_TABLE} SET {assignment}, version = version + 1 "
                f"WHERE table_name = '{table}'; RETURN NULL; END $$"
            )
            referencing = f"REFERENCING {transition} " if transition else ""
            statements.append(
                f"CREATE TRIGGER {function} AFTER {event.upper()} ON {quoted} {referencing}"
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    else:  # another backend: no triggers, no tally row, counts use COUNT(*)
        return
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(
        f"INSERT INTO {TALLY_TABLE} (table_name, row_count, version) "
        f"SELECT '{table}', COUNT(*), 0 FROM {quoted}"
    )


def uninstall(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    for event in ("insert", "delete", "update"):
        name = f"{table}_tally_{event}"
        if vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
    schema_editor.execute(f"DELETE FROM {TALLY_TABLE} WHERE table_name = '{table}'")


def read(db: str, table: str) -> tuple[int, int] | None:
    """``(row_count, version)`` of a tallied table, or None when it has no tally row."""
    with connections[db].cursor() as cursor:
        cursor.execute(
            f"SELECT row_count, version FROM {TALLY_TABLE} WHERE table_name = %s", [table]
        )
        return cursor.fetchone()


class CountCache:
    """Filtered counts of one process, valid while the table's version is unchanged."""

    def __init__(self) -> None:
        self._counts: dict[tuple, tuple[int, int]] = {}

    def get(self, key: tuple, version: int) -> int | None:
        entry = self._counts.get(key)
        return entry[1] if entry is not None and entry[0] == version else None

    def put(self, key: tuple, version: int, count: int) -> None:
        if len(self._counts) >= MAX_CACHED_COUNTS:
            self._counts.clear()
        self._counts[key] = (version, count)
