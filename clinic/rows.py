"""Rows that the booking's path reads and writes on every request, with SQL written here.

Building and compiling a queryset or an insert costs a few tenths of a millisecond of CPU each
time (the `Exists` and ordering of the intake read cost most), more than PostgreSQL takes to
answer it, and a booking reads half a dozen rows and writes three. `Model.objects.raw` skips the
building and still hands back model instances; rows_insert writes model instances with one
statement per shape, built once. Callers see no difference. The statements read the same on
PostgreSQL and SQLite. bench/load.py measures what this saves.
"""

from collections.abc import Sequence
from typing import TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)


def row_get(model: type[M], pk: int, *, lock: bool = False) -> M | None:
    """`model`'s row with primary key `pk`, or None; with `lock`, locked as row_lock() does."""
    sql = _by_pk("*", model) + (_for_update() if lock else "")
    return next(iter(model._default_manager.raw(sql, [pk])), None)


def row_lock(model: type[Model], pk: int) -> None:
    """Lock `model`'s row `pk` until the transaction ends, as select_for_update() would (a no-op
    on SQLite, which locks the whole database for a write)."""
    with connection.cursor() as cursor:
        cursor.execute(_by_pk("1", model) + _for_update(), [pk])


def _for_update() -> str:
    return " FOR UPDATE" if connection.features.has_select_for_update else ""


def _by_pk(columns: str, model: type[Model]) -> str:
    quote, pk_column = connection.ops.quote_name, model._meta.pk.column
    assert pk_column is not None
    return f"SELECT {columns} FROM {quote(model._meta.db_table)} WHERE {quote(pk_column)} = %s"


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
        if ignore_conflicts:
            return
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
            row._state.adding, row._state.db = False, connection.alias


_INSERT_STATEMENTS: dict[tuple[type[Model], int, bool], str] = {}


def _insert_sql(model: type[Model], fields: list[Field], count: int, *, ignore_conflicts: bool) -> str:
    if any(field.has_db_default() or field.generated for field in fields):
        raise TypeError(
            f"rows_insert doesn't write {model.__name__}: it has database defaults or generated fields"
        )
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column or field.name) for field in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES " + ", ".join([one_row] * count)
    if ignore_conflicts:
        return sql + " ON CONFLICT DO NOTHING"
    return sql + f" RETURNING {quote(model._meta.pk.column or 'id')}"
