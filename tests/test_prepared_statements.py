"""On PostgreSQL, a statement the app sends again and again is prepared once per connection
(clinic/settings.py, DATABASE_PREPARED_STATEMENTS)."""

import pytest
from django.db import connection

from bookings.models import Service

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")


def _prepared_on_this_connection() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_lookup_is_prepared_after_its_fifth_use_whatever_the_value_asked_for():
    for pk in range(6):
        list(Service.objects.filter(pk=pk))

    prepared = [statement for statement in _prepared_on_this_connection() if "bookings_service" in statement]
    # Sent with $1 in place of the value, so the six lookups were one statement.
    assert len(prepared) == 1
    assert "$1" in prepared[0]


@pytest.mark.django_db
def test_a_lookup_used_five_times_is_not_prepared_yet():
    for pk in range(5):
        list(Service.objects.filter(pk=pk))

    assert not [statement for statement in _prepared_on_this_connection() if "bookings_service" in statement]
