"""Hot reads without rebuilding an ORM query on every request.

Building and compiling a queryset costs about 0.3 ms per query on this project's machines, more
than SQLite needs to run it. A ``RowQuery`` compiles its SELECT (columns, annotations,
subqueries) once; each request adds only a WHERE clause, which the ORM still compiles from
ordinary lookups (so a filter means exactly what it means in any queryset), then the ORDER BY
and LIMIT. Rows are dicts, as ``values()`` gives, holding the values Django's column converters
would give, through cheaper equivalents where there are some (``hrm2.api.converters``).

``RowQuery.filter(q)`` returns a ``RowSet``: ``count()`` and slicing, which is all that
pagination (ours and ``django.core.paginator``) needs. On a table with a tally
(``hrm2.api.tally``) ``count()`` reads the total instead of counting the table.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, FullResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, JSONField, Q, QuerySet
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import Exact, In
from django.db.models.sql import Query

from hrm2.api import tally
from hrm2.api.converters import column_converter


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
        connection = connections[queryset.db]
        self.converters = [
            (index, column_converter(converters, expression, connection))
            for index, (converters, expression) in compiler.get_converters(expressions).items()
        ]
        self.model = queryset.model
        self.quote = connection.ops.quote_name
        self.table = self.quote(query.base_table)
        self.key = self.column(queryset.model._meta.pk)
        # Columns, not the SELECT's ordinals, so the same ORDER BY serves the page's key subquery.
        self.order_sql = ", ".join(self._order_term(name) for name in ordering)
        self.db = queryset.db
        self.tallied = tallied
        self.counts = tally.CountCache()
        # WHERE clauses of plain equalities, per shape (see _equality_where); False: not plain.
        self.equalities: dict[tuple, tuple[str, list[Field]] | bool] = {}

    def _order_term(self, name: str) -> str:
        """``-score`` → ``score DESC``; a nullable column sorts its NULLs last on every
        database (SQLite and PostgreSQL disagree on where NULLs go otherwise)."""
        field = self.model._meta.get_field(name.lstrip("-"))
        column = self.column(field)
        term = f"{column} {'DESC' if name.startswith('-') else 'ASC'}"
        return f"{column} IS NULL ASC, {term}" if field.null else term

    def column(self, field: Field) -> str:
        """``created_at`` → ``"resumes_resume"."created_at"`` (fields of the base table only)."""
        return f"{self.table}.{self.quote(field.column)}"


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
        converters = compiled.converters
        converted = []
        for row in rows:
            row = list(row)
            for index, convert in converters:
                row[index] = convert(row[index])
            converted.append(dict(zip(names, row, strict=True)))
        return converted


def _where_sql(compiled: _Compiled, q: Q) -> tuple[str, list]:
    if not q:
        return "", []
    equality = _equality_where(compiled, q)
    if equality is not None:
        return equality
    query = Query(compiled.model)  # no QuerySet around it: only the WHERE is wanted
    query.add_q(q)
    if sum(1 for alias in query.alias_map if query.alias_refcount[alias]) > 1:
        # A join would need the same join in the compiled SELECT; a subquery does not.
        raise ValueError("RowQuery filters must not join; filter through an __in subquery")
    compiler = query.get_compiler(using=compiled.db)
    try:
        sql, params = compiler.compile(query.where)
    except EmptyResultSet:  # e.g. ``pk__in=[]``: nothing can match
        return "1 = 0", []
    except FullResultSet:  # e.g. ``~Q(pk__in=[])``: everything matches
        return "", []
    return sql, list(params)


def _equality_where(compiled: _Compiled, q: Q) -> tuple[str, list] | None:
    """The WHERE of ``Q(a=x, b__in=[y, z])`` on the base table's own columns, from a cache.

    Building a lookup through the ORM costs more than running a primary-key read; for plain
    equalities the clause depends only on the column names (and the number of ``__in`` values),
    so it is built once per shape and each request only prepares its values, exactly as the
    ORM's ``exact`` and ``in`` lookups do (``get_db_prep_value``; None and repeats dropped from
    ``in``). Anything else (other lookups, joins, None, expressions, OR, NOT) returns None and
    goes through the ORM.
    """
    if q.connector != Q.AND or q.negated:
        return None
    shape, values = [], []
    for child in q.children:
        if not isinstance(child, tuple):
            return None
        name, value = child
        if value is None or hasattr(value, "resolve_expression"):
            return None
        if name.endswith("__in"):
            if not isinstance(value, (list, tuple, set, frozenset)):
                return None
            try:
                value = list(dict.fromkeys(v for v in value if v is not None))
            except TypeError:  # unhashable values
                return None
            if not value or any(hasattr(v, "resolve_expression") for v in value):
                return None
            shape.append((name, len(value)))
        else:
            shape.append((name, None))
        values.append(value)
    shape = tuple(shape)
    entry = compiled.equalities.get(shape)
    if entry is None:
        entry = compiled.equalities[shape] = _equality_clause(compiled, shape)
    if entry is False:
        return None
    sql, fields = entry
    connection = connections[compiled.db]
    params = []
    for field, (_name, count), value in zip(fields, shape, values, strict=True):
        if count is None:
            params.append(field.get_db_prep_value(value, connection, prepared=False))
        else:
            params.extend(field.get_db_prep_value(v, connection, prepared=False) for v in value)
    return sql, params


def _equality_clause(compiled: _Compiled, shape: tuple) -> tuple[str, list[Field]] | bool:
    meta = compiled.model._meta
    clauses, fields = [], []
    for name, count in shape:
        name = name.removesuffix("__in") if count is not None else name.removesuffix("__exact")
        if "__" in name:
            return False
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist:
            return False
        lookup = field.get_lookup("exact" if count is None else "in")
        if field.is_relation:
            # Only by its column (``position_id``), whose values are keys, not objects.
            if name != field.attname or lookup not in (RelatedExact, RelatedIn):
                return False
        elif not field.concrete or lookup not in (Exact, In) or isinstance(field, JSONField):
            return False  # e.g. JSON's exact compares JSON, not text
        column = compiled.column(field)
        placeholders = "%s" if count is None else f"({', '.join(['%s'] * count)})"
        clauses.append(f"{column} {'=' if count is None else 'IN'} {placeholders}")
        fields.append(field)
    return " AND ".join(clauses), fields
