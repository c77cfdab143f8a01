from datetime import UTC, date, datetime, time
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.availability import free_slots
from bookings.models import Closure, TimeOff, WorkingHours
from bookings.services import appointment_book
from tests.factories import AppointmentFactory, UserFactory, submit_intake
from workspace.selectors import appointments_outside_hours

from .data import MONDAY_10

MONDAY = date(2026, 12, 7)


def text(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


@pytest.fixture
def booked_monday(clinic, service, therapist, client_user):
    """Sam Jones booked online for Monday at 10:00 with Maya Patel."""
    return appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)


def starts(service, therapist, day=MONDAY):
    return [
        slot.start for slot in free_slots(service=service, therapist=therapist, start_date=day, end_date=day)
    ]


def test_day_schedule_puts_therapists_side_by_side_with_hours_time_off_and_appointments(
    as_desk, service, therapist, other_therapist, booked_monday
):
    TimeOff.objects.create(
        therapist=other_therapist,
        start=datetime(2026, 12, 7, 14, tzinfo=UTC),
        end=datetime(2026, 12, 7, 16, tzinfo=UTC),
        reason="Dentist",
    )

    response = as_desk.get(reverse("workspace:schedule_day"), {"date": "2026-12-07"})

    schedule = response.context["schedule"]
    assert [column.therapist for column in schedule.columns] == [therapist, other_therapist]
    assert [block.item for block in schedule.columns[0].appointments] == [booked_monday]
    # The grid starts at 09:00 with one row per 5 minutes; line 1 is the header.
    (placed,) = schedule.columns[0].appointments
    assert (placed.row_start, placed.row_end) == (2 + 12, 2 + 24)  # 10:00 to 11:00
    assert [(b.start, b.end) for b in schedule.columns[0].hours] == [
        (time(9), time(13)),
        (time(14), time(18)),
    ]
    assert [b.item.reason for b in schedule.columns[1].time_off] == ["Dentist"]
    page = text(response)
    assert "Maya Patel" in page and "Olu Other" in page
    assert "10:00 Sam Jones" in page
    assert "Time off: Dentist" in page
    assert "Intake clear" in page
    assert "ws-schedule-scroll" in response.content.decode()  # scrolls sideways on a phone


def test_day_schedule_on_a_closed_day_says_so(as_desk, therapist):
    Closure.objects.create(date=MONDAY, reason="Bank holiday")

    response = as_desk.get(reverse("workspace:schedule_day"), {"date": "2026-12-07"})

    assert "The clinic is closed on this day: Bank holiday." in text(response)


def test_week_schedule_shows_each_day_for_each_therapist(as_desk, therapist, other_therapist, booked_monday):
    Closure.objects.create(date=date(2026, 12, 9), reason="Training")

    response = as_desk.get(reverse("workspace:schedule_week"), {"date": "2026-12-09"})

    schedule = response.context["schedule"]
    assert schedule.first == MONDAY
    assert [row.day.isoformat() for row in schedule.rows][::6] == ["2026-12-07", "2026-12-13"]
    assert schedule.rows[0].cells[0].appointments == [booked_monday]
    assert schedule.rows[6].cells[0].hours == []  # Sunday
    page = text(response)
    assert "09:00–13:00, 14:00–18:00" in page
    assert "Closed: Training" in page
    assert "Not working" in page


def test_adding_time_off_takes_its_slots_out_of_booking_at_once(as_desk, service, therapist):
    assert datetime(2026, 12, 7, 15, tzinfo=UTC) in starts(service, therapist)

    as_desk.post(
        reverse("workspace:therapist_time_off", args=[therapist.pk]),
        {
            "start_date": "2026-12-07",
            "start_time": "14:00",
            "end_date": "2026-12-07",
            "end_time": "18:00",
            "reason": "Dentist",
        },
    )

    offered = starts(service, therapist)
    assert datetime(2026, 12, 7, 15, tzinfo=UTC) not in offered
    assert datetime(2026, 12, 7, 12, tzinfo=UTC) in offered


def test_after_saving_time_off_the_desk_sees_the_appointments_to_move(as_desk, therapist, booked_monday):
    response = as_desk.post(
        reverse("workspace:therapist_time_off", args=[therapist.pk]),
        {"start_date": "2026-12-07", "end_date": "2026-12-07", "reason": "Ill"},  # the whole day
        follow=True,
    )

    time_off = TimeOff.objects.get()
    assert (time_off.start, time_off.end) == (
        datetime(2026, 12, 7, tzinfo=UTC),
        datetime(2026, 12, 8, tzinfo=UTC),
    )
    assert response.context["clashes"] == [booked_monday]
    page = text(response)
    assert "1 booked appointment clashes with this." in page
    assert "Sam Jones" in page
    assert reverse("workspace:appointment_move", args=[booked_monday.pk]) in response.content.decode()


def test_time_off_is_read_in_the_clinics_time_zone(as_desk, clinic, therapist):
    clinic.time_zone = "America/New_York"
    clinic.save()

    as_desk.post(
        reverse("workspace:therapist_time_off", args=[therapist.pk]),
        {"start_date": "2026-12-07", "start_time": "09:00", "end_date": "2026-12-07", "end_time": "12:00"},
    )

    assert TimeOff.objects.get().start == datetime(2026, 12, 7, 14, tzinfo=UTC)


def test_time_off_that_ends_before_it_starts_is_refused_on_the_field(as_desk, therapist):
    response = as_desk.post(
        reverse("workspace:therapist_time_off", args=[therapist.pk]),
        {"start_date": "2026-12-08", "start_time": "10:00", "end_date": "2026-12-07", "end_time": "10:00"},
    )

    assert response.context["form"].errors["end_date"] == ["The time off must end after it starts."]
    assert not TimeOff.objects.exists()


def test_closing_the_clinic_takes_the_day_out_of_booking_and_lists_clashes(
    as_desk, service, therapist, booked_monday
):
    response = as_desk.post(
        reverse("workspace:closure_list"), {"date": "2026-12-07", "reason": "Flood"}, follow=True
    )

    assert starts(service, therapist) == []
    assert response.context["clashes"] == [booked_monday]
    assert "The clinic is closed on Monday 7 December 2026" in text(response)


def test_closing_a_day_twice_is_refused_on_the_date_field(as_desk):
    Closure.objects.create(date=MONDAY)

    response = as_desk.post(reverse("workspace:closure_list"), {"date": "2026-12-07"})

    assert response.context["form"].errors["date"] == ["The clinic is already closed on 7 December 2026."]


def test_reopening_a_closed_day_offers_it_again(as_desk, service, therapist):
    closure = Closure.objects.create(date=MONDAY)

    as_desk.post(reverse("workspace:closure_remove", args=[closure.pk]))

    assert starts(service, therapist)


def hours_post(rows, extra=2):
    data = {"hours-TOTAL_FORMS": str(len(rows) + extra), "hours-INITIAL_FORMS": "0"}
    for index, (weekday, start, end) in enumerate(rows):
        data |= {
            f"hours-{index}-weekday": str(weekday),
            f"hours-{index}-start_time": start,
            f"hours-{index}-end_time": end,
        }
    return data


def test_the_desk_replaces_a_therapists_week_and_booking_follows(as_desk, service, therapist):
    response = as_desk.post(
        reverse("workspace:therapist_hours", args=[therapist.pk]),
        hours_post([(0, "12:00", "16:00"), (2, "09:00", "12:00")]),
    )

    assert response.status_code == 302
    assert list(
        WorkingHours.objects.filter(therapist=therapist).values_list("weekday", "start_time", "end_time")
    ) == [
        (0, time(12), time(16)),
        (2, time(9), time(12)),
    ]
    offered = starts(service, therapist)
    assert (offered[0].hour, offered[-1].hour) == (12, 15)  # a 60-minute session ends by 16:00
    assert starts(service, therapist, day=date(2026, 12, 8)) == []


def test_overlapping_hours_are_refused_on_the_later_row(as_desk, therapist):
    response = as_desk.post(
        reverse("workspace:therapist_hours", args=[therapist.pk]),
        hours_post([(0, "09:00", "13:00"), (0, "12:00", "17:00")]),
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["start_time"] == ["Overlaps 09:00–13:00 on Monday."]
    assert WorkingHours.objects.filter(therapist=therapist).count() == 12  # unchanged


def test_hours_that_end_before_they_start_are_refused_on_the_field(as_desk, therapist):
    response = as_desk.post(
        reverse("workspace:therapist_hours", args=[therapist.pk]), hours_post([(0, "13:00", "09:00")])
    )

    assert response.context["formset"].forms[0].errors["end_time"] == ["The hours must end after they start."]


def test_after_cutting_hours_the_desk_sees_the_appointments_outside_them(as_desk, therapist, booked_monday):
    response = as_desk.post(
        reverse("workspace:therapist_hours", args=[therapist.pk]),
        hours_post([(0, "14:00", "18:00")]),
        follow=True,
    )

    assert response.context["clashes"] == [booked_monday]
    assert "Booked appointments now outside these hours" in text(response)


def test_appointments_outside_hours_ignore_those_that_still_fit(clinic, service, therapist, client_user):
    fits = appointment_book(client=client_user, therapist=therapist, service=service, start=MONDAY_10)
    other = UserFactory()
    submit_intake(other)
    AppointmentFactory(
        client=other, therapist=therapist, service=service, start=datetime(2026, 12, 7, 13, tzinfo=UTC)
    )

    outside = appointments_outside_hours(therapist, clinic=clinic)

    assert [each.start.hour for each in outside] == [13]
    assert fits not in outside
