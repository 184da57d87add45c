"""Hot reads without rebuilding an ORM query on every request.

Building and compiling a queryset costs about 0.3 ms per query on this project's machines, more
than SQLite needs to run it. A ``RowQuery`` compiles its SELECT (columns, annotations,
subqueries) once; each request adds only a WHERE clause, which the ORM still compiles from
ordinary lookups (so a filter means exactly what it means in any queryset), then the ORDER BY
and LIMIT. Rows are dicts, as ``values()`` gives, with Django's own column converters applied.

``RowQuery.filter(q)`` returns a ``RowSet``: ``count()`` and slicing, which is all that
pagination (ours and ``django.core.paginator``) needs. On a table with a tally
(``hrm2.api.tally``) ``count()`` reads the total instead of counting the table.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Q, QuerySet
from django.db.models.sql import Query

from hrm2.api import tally


class _Compiled:
    def __init__(self, queryset: QuerySet, ordering: tuple[str, ...], tallied: bool) -> None:
        query = queryset.order_by().query
        compiler = query.get_compiler(using=queryset.db)
        if query.where:
            raise ValueError("a RowQuery's SELECT must not filter; pass filters to filter()")
        self.sql, self.params = compiler.as_sql(with_limits=False)
        self.names = (
            list(query.selected)
            if query.selected
            else [*query.extra_select, *query.values_select, *query.annotation_select]
        )
        expressions = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters = [
            (index, converters, expression)
            for index, (converters, expression) in compiler.get_converters(expressions).items()
        ]
        self.model = queryset.model
        quote = connections[queryset.db].ops.quote_name
        self.table = quote(query.base_table)
        self.key = self._column(queryset.model._meta.pk.name, quote)
        # Columns, not the SELECT's ordinals, so the same ORDER BY serves the page's key subquery.
        self.order_sql = ", ".join(
            f"{self._column(name.lstrip('-'), quote)} {'DESC' if name.startswith('-') else 'ASC'}"
            for name in ordering
        )
        self.db = queryset.db
        self.tallied = tallied
        self.counts = tally.CountCache()

    def _column(self, field_name: str, quote) -> str:
        """``created_at`` → ``"resumes_resume"."created_at"`` (fields of the base table only)."""
        return f"{self.table}.{quote(self.model._meta.get_field(field_name).column)}"


class RowQuery:
    """A values() SELECT compiled once, run with per-request filters, ordering and limits.

    ``select`` builds the queryset (``values(...)``, annotations, no filters); ``ordering`` is
    fixed because the indexes that serve it are; ``tallied`` says the table has a tally.
    """

    def __init__(
        self, select: Callable[[], QuerySet], ordering: tuple[str, ...], tallied: bool = False
    ) -> None:
        self._select = select
        self.ordering = ordering
        self.tallied = tallied
        self._compiled: dict[str, _Compiled] = {}

    def compiled(self) -> _Compiled:
        # Keyed by backend: the same process may be pointed at another database (tests).
        vendor = connections[DEFAULT_DB_ALIAS].vendor
        compiled = self._compiled.get(vendor)
        if compiled is None:
            compiled = self._compiled[vendor] = _Compiled(
                self._select(), self.ordering, self.tallied
            )
        return compiled

    def filter(self, q: Q | None = None) -> "RowSet":
        return RowSet(self.compiled(), q or Q())


class RowSet:
    """The rows of a ``RowQuery`` that match ``q``, newest first; count() and slicing."""

    def __init__(self, compiled: _Compiled, q: Q) -> None:
        self._compiled = compiled
        self._where, self._where_params = _where_sql(compiled, q)

    def count(self) -> int:
        compiled = self._compiled
        current = (
            tally.read(compiled.db, compiled.model._meta.db_table) if compiled.tallied else None
        )
        if current is None:
            return self._count()
        row_count, version = current
        if not self._where:
            return row_count
        key = (self._where, *self._where_params)
        count = compiled.counts.get(key, version)
        if count is None:
            count = self._count()
            compiled.counts.put(key, version, count)
        return count

    def _count(self) -> int:
        compiled = self._compiled
        where = f" WHERE {self._where}" if self._where else ""
        with connections[compiled.db].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {compiled.table}{where}", self._where_params)
            return cursor.fetchone()[0]

    def all(self) -> "RowSet":
        return self

    def __getitem__(self, key: slice) -> list[dict[str, Any]]:
        if not isinstance(key, slice) or key.step is not None:
            raise TypeError("RowSet supports slices without a step only")
        start = key.start or 0
        if key.stop is None:
            return self._fetch(start, None)
        return self._fetch(start, max(key.stop - start, 0)) if key.stop > start else []

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._fetch(0, None))

    def first(self) -> dict[str, Any] | None:
        rows = self._fetch(0, 1)
        return rows[0] if rows else None

    def _fetch(self, offset: int, limit: int | None) -> list[dict[str, Any]]:
        compiled = self._compiled
        connection = connections[compiled.db]
        where = f" WHERE {self._where}" if self._where else ""
        order = f" ORDER BY {compiled.order_sql}" if compiled.order_sql else ""
        if limit is None and not offset:
            sql = f"{compiled.sql}{where}{order}"
        else:
            # A page is chosen on the primary key alone, then its columns are read: skipped rows
            # (OFFSET 8000) cost an index entry each, not their subqueries, LENGTH(content)
            # and, on PostgreSQL, the TOASTed text those read.
            window = connection.ops.limit_offset_sql(offset, offset + limit if limit else None)
            sql = (
                f"{compiled.sql} WHERE {compiled.key} IN "
                f"(SELECT {compiled.key} FROM {compiled.table}{where}{order} {window}){order}"
            )
        params = [*compiled.params, *self._where_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        names = compiled.names
        converted = []
        for row in rows:
            row = list(row)
            for index, converters, expression in compiled.converters:
                value = row[index]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[index] = value
            converted.append(dict(zip(names, row, strict=True)))
        return converted


def _where_sql(compiled: _Compiled, q: Q) -> tuple[str, list]:
    if not q:
        return "", []
    query = Query(compiled.model)  # no QuerySet around it: only the WHERE is wanted
    query.add_q(q)
    if sum(1 for alias in query.alias_map if query.alias_refcount[alias]) > 1:
        # A join would need the same join in the compiled SELECT; a subquery does not.
        raise ValueError("RowQuery filters must not join; filter through an __in subquery")
    compiler = query.get_compiler(using=compiled.db)
    sql, params = compiler.compile(query.where)
    return sql, list(params)
