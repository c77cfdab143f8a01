"""Rows that the booking's path reads and writes on every request, with SQL written here.

Building and compiling a queryset or an insert costs a few tenths of a millisecond of CPU each
time (the `Exists` and ordering of the intake read cost most), more than PostgreSQL takes to
answer it, and a booking reads half a dozen rows and writes three. Here each model's column list,
and what converts its values from the database, are worked out once per process; rows come back
as model instances, as the ORM's would (`Model.from_db`, each field's converters), and rows are
written as bulk_create would write them. Callers see no difference. The statements read the same
on PostgreSQL and SQLite. bench/load.py measures what this saves.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)


def rows_select(
    model: type[M],
    where: str,
    params: Sequence[Any],
    *,
    annotations: Mapping[str, str] | None = None,
    lock: bool = False,
) -> list[M]:
    """`model`'s rows matching `where` (the SQL after WHERE; the table is `t`), each with
    `annotations` (a name and its SQL expression) set on it; with `lock`, each row locked as
    row_lock() locks one. `params` fill the %s of the annotations, then of `where`, in order.
    """
    read = _reading(model)
    extra = "".join(f", {expression}" for expression in (annotations or {}).values())
    sql = f"SELECT {read.columns}{extra} FROM {_quote(model._meta.db_table)} t WHERE {where}"
    with connection.cursor() as cursor:
        cursor.execute(sql + (_for_update() if lock else ""), params)
        found = cursor.fetchall()
    rows = []
    for values in found:
        fields = list(values[: read.width])
        for index, converters, column in read.converters:
            for convert in converters:
                fields[index] = convert(fields[index], column, connection)
        row = model.from_db(connection.alias, read.attnames, fields)
        for name, value in zip(annotations or {}, values[read.width :], strict=True):
            setattr(row, name, value)
        rows.append(row)
    return rows


def row_get(model: type[M], pk: int, *, lock: bool = False) -> M | None:
    """`model`'s row with primary key `pk`, or None; with `lock`, locked as row_lock() does."""
    found = rows_select(model, f"{_quote(_pk_column(model))} = %s", [pk], lock=lock)
    return found[0] if found else None


class _Reading(NamedTuple):
    columns: str  # every concrete field's column, in the model's order (what from_db expects)
    width: int  # how many columns they are
    attnames: list[str]
    converters: list[tuple[int, list[Callable[..., Any]], Col]]  # the fields that have any


_READINGS: dict[tuple[type[Model], str], _Reading] = {}


def _reading(model: type[Model]) -> _Reading:
    """How to read `model`'s rows on this connection, as the ORM's compiler would."""
    key = (model, connection.vendor)
    if key not in _READINGS:
        fields = model._meta.concrete_fields
        columns = [field.get_col(model._meta.db_table) for field in fields]
        converters = [
            (index, connection.ops.get_db_converters(column) + column.get_db_converters(connection), column)
            for index, column in enumerate(columns)
        ]
        _READINGS[key] = _Reading(
            columns=", ".join(f"t.{_quote(field.column or field.name)}" for field in fields),
            width=len(fields),
            attnames=[field.attname for field in fields],
            converters=[converter for converter in converters if converter[1]],
        )
    return _READINGS[key]


def row_lock(model: type[Model], pk: int) -> None:
    """Lock `model`'s row `pk` until the transaction ends, as select_for_update() would (a no-op
    on SQLite, which locks the whole database for a write)."""
    table, pk_column = _quote(model._meta.db_table), _quote(_pk_column(model))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {pk_column} = %s{_for_update()}", [pk])


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _pk_column(model: type[Model]) -> str:
    return model._meta.pk.column or "id"


def rows_insert(rows: Sequence[Model], *, ignore_conflicts: bool = False) -> None:
    """Insert new instances of one model, as bulk_create(rows, ignore_conflicts=...) would: each
    field's pre_save (auto_now) and database value, then one INSERT. Without ignore_conflicts,
    each row gets its primary key and is then saved, like a created one; with it, a row that
    breaks a unique constraint is skipped (ON CONFLICT DO NOTHING) and none gets its key.

    For plain models: fields with a database default, generated fields or signals are not
    handled here (the project has none on the models this writes).
    """
    if not rows:
        return
    if not ignore_conflicts and not connection.features.can_return_columns_from_insert:
        for row in rows:  # SQLite before 3.35 has no RETURNING: the key comes back one row at a time
            row.save(force_insert=True)
        return
    model = type(rows[0])
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    shape = (model, len(rows), ignore_conflicts)
    if shape not in _INSERT_STATEMENTS:
        _INSERT_STATEMENTS[shape] = _insert_sql(model, fields, len(rows), ignore_conflicts=ignore_conflicts)
    values = [
        field.get_db_prep_save(field.pre_save(row, True), connection) for row in rows for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(_INSERT_STATEMENTS[shape], values)
        keys = [] if ignore_conflicts else [pk for (pk,) in cursor.fetchall()]
    for row, pk in zip(rows, keys or [None] * len(rows), strict=True):
        if pk is not None:
            row.pk = pk
        row._state.adding, row._state.db = False, connection.alias


_INSERT_STATEMENTS: dict[tuple[type[Model], int, bool], str] = {}


def _insert_sql(model: type[Model], fields: list[Field], count: int, *, ignore_conflicts: bool) -> str:
    if any(field.has_db_default() or field.generated for field in fields):
        raise TypeError(
            f"rows_insert doesn't write {model.__name__}: it has database defaults or generated fields"
        )
    columns = ", ".join(_quote(field.column or field.name) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {_quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join([one_row] * count)
    if ignore_conflicts:
        return sql + " ON CONFLICT DO NOTHING"
    return sql + f" RETURNING {_quote(_pk_column(model))}"
