"""clinic.rows: the booking path's reads and writes, written as SQL, do what the ORM would."""

from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.forms.models import model_to_dict

from bookings.models import Appointment, Clinic, Service
from clinic.rows import row_get, row_lock, rows_insert, rows_select
from intake.models import Clearance, Intake
from notifications.models import Message
from tests.factories import ServiceFactory, TherapistFactory, UserFactory, submit_intake

HOUR = timedelta(hours=1)


def _values(row: Model) -> dict[str, object]:
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


@pytest.mark.django_db
def test_a_row_read_by_its_id_is_the_model_the_orm_reads(clinic):
    service = ServiceFactory(name="Deep tissue", duration_minutes=60, buffer_after_minutes=15, price="65.50")
    intake = submit_intake(UserFactory(), leg_weakness="mild")  # answers and reasons are JSON

    for model, pk in ((Service, service.pk), (Clinic, clinic.pk), (Intake, intake.pk)):
        read = row_get(model, pk)
        assert isinstance(read, model) and not read._state.adding
        assert _values(read) == _values(model.objects.get(pk=pk))


@pytest.mark.django_db
def test_rows_come_in_the_order_asked_for_with_their_annotations():
    client = UserFactory()
    older = submit_intake(client, at=datetime(2026, 11, 1, tzinfo=UTC))
    newer = submit_intake(client, at=datetime(2026, 11, 20, tzinfo=UTC))
    Clearance.objects.create(intake=older, cleared_on=date(2026, 11, 10), recorded_by=UserFactory())

    read = rows_select(
        Intake,
        "t.client_id = %s ORDER BY t.created_at DESC",
        [client.pk],
        annotations={"cleared": "EXISTS (SELECT 1 FROM intake_clearance c WHERE c.intake_id = t.id)"},
    )

    assert [(row.pk, bool(row.cleared)) for row in read] == [(newer.pk, False), (older.pk, True)]


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


@pytest.mark.django_db
def test_an_inserted_appointment_is_saved_as_the_orm_would_save_it(service):
    therapist, client = TherapistFactory(services=[service]), UserFactory()

    def at(start: datetime) -> dict[str, object]:
        end = start + service.duration
        return {"client": client, "therapist": therapist, "service": service, "booked_by": client} | {
            "start": start,
            "end": end,
            "blocked_until": end,
        }

    monday_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    written, created = Appointment(**at(monday_10)), Appointment.objects.create(**at(monday_10 + 2 * HOUR))

    rows_insert([written])

    assert written.pk is not None and not written._state.adding
    read = Appointment.objects.get(pk=written.pk)
    assert read.created_at == written.created_at and read.updated_at == written.updated_at  # auto_now
    different = {"id", "start", "end", "blocked_until"}
    assert {k: v for k, v in model_to_dict(read).items() if k not in different} == {
        k: v for k, v in model_to_dict(created).items() if k not in different
    }


@pytest.mark.django_db
def test_inserted_rows_get_their_keys_in_order():
    clients = [UserFactory() for _ in range(3)]
    rows = [_message(client, key=f"k{i}") for i, client in enumerate(clients)]

    rows_insert(rows)

    assert [Message.objects.get(pk=row.pk).recipient_id for row in rows] == [client.pk for client in clients]


@pytest.mark.django_db
def test_a_row_whose_unique_key_is_taken_is_skipped_and_the_rest_are_written():
    client = UserFactory()
    rows_insert([_message(client, key="confirmation:1")])

    rows_insert(
        [_message(client, key="confirmation:1"), _message(client, key="reminder:1")], ignore_conflicts=True
    )
    rows_insert([], ignore_conflicts=True)

    assert sorted(Message.objects.values_list("dedupe_key", flat=True)) == ["confirmation:1", "reminder:1"]


def _message(client, *, key: str) -> Message:
    return Message(
        kind=Message.Kind.TIP, recipient=client, due_at=datetime(2026, 12, 7, tzinfo=UTC), dedupe_key=key
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="an old SQLite's lack of RETURNING")
@pytest.mark.django_db
def test_without_returning_as_on_an_old_sqlite_each_row_still_gets_its_key(monkeypatch):
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    rows = [_message(UserFactory(), key=f"k{i}") for i in range(2)]

    rows_insert(rows)

    assert [Message.objects.get(pk=row.pk).dedupe_key for row in rows] == ["k0", "k1"]
