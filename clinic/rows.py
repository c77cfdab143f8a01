"""Rows that the booking's path reads on every request, fetched with SQL written here.

Building and compiling a queryset costs a few tenths of a millisecond of CPU each time (the
`Exists` and ordering of the intake read cost most), more than PostgreSQL takes to answer it,
and a booking reads half a dozen rows. `Model.objects.raw` skips the building and still hands
back model instances, so callers see no difference. The statements are plain enough to read the
same on PostgreSQL and SQLite. bench/load.py measures what this saves.
"""

from typing import TypeVar

from django.db import connection
from django.db.models import Model

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
