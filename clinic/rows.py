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

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
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
    db = connections[DEFAULT_DB_ALIAS]  # once: each use of django.db.connection looks it up again
    read = _reading(db, model)
    extra = "".join(f", {expression}" for expression in (annotations or {}).values())
    sql = f"SELECT {read.columns}{extra} FROM {read.table} t WHERE {where}{_for_update(db) if lock else ''}"
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = []
    for values in found:
        field_values = list(values[: read.width])
        for index, converters, column in read.converters:
            for convert in converters:
                field_values[index] = convert(field_values[index], column, db)
        row = model.from_db(db.alias, read.attnames, field_values)
        for name, value in zip(annotations or {}, values[read.width :], strict=True):
            setattr(row, name, value)
        rows.append(row)
    return rows


def row_get(model: type[M], pk: int, *, lock: bool = False) -> M | None:
    """`model`'s row with primary key `pk`, or None; with `lock`, locked as row_lock() does."""
    found = rows_select(model, _reading(connections[DEFAULT_DB_ALIAS], model).by_pk, [pk], lock=lock)
    return found[0] if found else None


def row_lock(model: type[Model], pk: int) -> None:
    """Lock `model`'s row `pk` until the transaction ends, as select_for_update() would (a no-op
    on SQLite, which locks the whole database for a write)."""
    db = connections[DEFAULT_DB_ALIAS]
    read = _reading(db, model)
    with db.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {read.table} t WHERE {read.by_pk}{_for_update(db)}", [pk])


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
    db = connections[DEFAULT_DB_ALIAS]
    if not ignore_conflicts and not db.features.can_return_columns_from_insert:
        for row in rows:  # SQLite before 3.35 has no RETURNING: the key comes back one row at a time
            row.save(force_insert=True)
        return
    model = type(rows[0])
    shape = (model, db.vendor, len(rows), ignore_conflicts)
    if shape not in _INSERTS:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        _INSERTS[shape] = (
            fields,
            _insert_sql(db, model, fields, len(rows), ignore_conflicts=ignore_conflicts),
        )
    fields, sql = _INSERTS[shape]
    values = [field.get_db_prep_save(field.pre_save(row, True), db) for row in rows for field in fields]
    with db.cursor() as cursor:
        cursor.execute(sql, values)
        keys = [] if ignore_conflicts else [pk for (pk,) in cursor.fetchall()]
    for row, pk in zip(rows, keys or [None] * len(rows), strict=True):
        if pk is not None:
            row.pk = pk
        row._state.adding, row._state.db = False, db.alias


class _Reading(NamedTuple):
    table: str
    columns: str  # every concrete field's column, in the model's order (what from_db expects)
    width: int  # how many columns they are
    attnames: list[str]
    converters: list[tuple[int, list[Callable[..., Any]], Col]]  # the fields that have any
    by_pk: str  # the WHERE of one row


_READINGS: dict[tuple[type[Model], str], _Reading] = {}
_INSERTS: dict[tuple[type[Model], str, int, bool], tuple[list[Field], str]] = {}  # the fields and the INSERT


def _reading(db: BaseDatabaseWrapper, model: type[Model]) -> _Reading:
    """How to read `model`'s rows on this kind of database, as the ORM's compiler would."""
    key = (model, db.vendor)
    if key not in _READINGS:
        quote, fields = db.ops.quote_name, model._meta.concrete_fields
        columns = [field.get_col(model._meta.db_table) for field in fields]
        converters = [
            (index, db.ops.get_db_converters(column) + column.get_db_converters(db), column)
            for index, column in enumerate(columns)
        ]
        _READINGS[key] = _Reading(
            table=quote(model._meta.db_table),
            columns=", ".join(f"t.{quote(field.column or field.name)}" for field in fields),
            width=len(fields),
            attnames=[field.attname for field in fields],
            converters=[converter for converter in converters if converter[1]],
            by_pk=f"t.{quote(model._meta.pk.column or 'id')} = %s",
        )
    return _READINGS[key]


def _for_update(db: BaseDatabaseWrapper) -> str:
    return " FOR UPDATE" if db.features.has_select_for_update else ""


def _insert_sql(
    db: BaseDatabaseWrapper, model: type[Model], fields: list[Field], count: int, *, ignore_conflicts: bool
) -> str:
    if any(field.has_db_default() or field.generated for field in fields):
        raise TypeError(
            f"rows_insert doesn't write {model.__name__}: it has database defaults or generated fields"
        )
    quote = db.ops.quote_name
    columns = ", ".join(quote(field.column or field.name) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join([one_row] * count)
    if ignore_conflicts:
        return sql + " ON CONFLICT DO NOTHING"
    return sql + f" RETURNING {quote(model._meta.pk.column or 'id')}"
