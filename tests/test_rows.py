"""clinic.rows: the booking path's reads by primary key, written as SQL, answer as the ORM would."""

import psycopg
import pytest
from django.db import connection, transaction
from django.forms.models import model_to_dict

from bookings.models import Clinic, Service
from clinic.rows import row_get, row_lock
from tests.factories import ServiceFactory


@pytest.mark.django_db
def test_a_row_read_by_its_id_is_the_model_the_orm_reads(clinic):
    service = ServiceFactory(name="Deep tissue", duration_minutes=60, buffer_after_minutes=15)

    for model, pk in ((Service, service.pk), (Clinic, clinic.pk)):
        read = row_get(model, pk)
        assert isinstance(read, model)
        assert model_to_dict(read) == model_to_dict(model.objects.get(pk=pk))


@pytest.mark.django_db
def test_a_row_that_is_not_there_is_none():
    assert row_get(Service, 404) is None


def _locked_elsewhere(service: Service) -> bool:
    """Can another connection not lock the row at once?"""
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname=settings["NAME"]
    ) as other:
        try:
            other.execute(
                f"SELECT 1 FROM {Service._meta.db_table} WHERE id = %s FOR UPDATE NOWAIT", [service.pk]
            )
        except psycopg.errors.LockNotAvailable:
            return True
        return False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "lock",
    [lambda service: row_lock(Service, service.pk), lambda service: row_get(Service, service.pk, lock=True)],
)
def test_a_locked_row_stays_locked_until_the_transaction_ends(lock):
    service = ServiceFactory()

    with transaction.atomic():
        lock(service)
        assert _locked_elsewhere(service)

    assert not _locked_elsewhere(service)
