from datetime import UTC, datetime

import pytest

from bookings.api import refusal_response
from bookings.errors import BookingError
from bookings.models import Appointment
from tests.factories import (
    AppointmentFactory,
    ServiceFactory,
    TherapistFactory,
    UserFactory,
    clear_answers,
    nothing_new,
    submit_intake,
)

MONDAY_10 = "2026-12-07T10:00:00+00:00"
MONDAY_14 = "2026-12-07T14:00:00+00:00"
LATER_TODAY = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # inside the 24-hour cancellation window


@pytest.fixture
def booking(service, therapist):
    return {"service": service.pk, "therapist": therapist.pk, "start": MONDAY_10, "red_flags": nothing_new()}


@pytest.fixture
def appointment(client_user, service, therapist):
    return AppointmentFactory(
        client=client_user,
        service=service,
        therapist=therapist,
        start=datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
    )


def test_booking_a_free_slot_creates_the_appointment(client_api, client_user, booking, service, therapist):
    response = client_api.post("/appointments", booking)

    assert response.status_code == 201
    appointment = Appointment.objects.get(client=client_user)
    assert response.json() == {
        "id": appointment.pk,
        "service": service.pk,
        "therapist": therapist.pk,
        "start": MONDAY_10,
        "end": "2026-12-07T11:00:00+00:00",
        "status": "booked",
    }


def test_booking_accepts_a_start_in_any_offset(client_api, client_user, booking):
    response = client_api.post("/appointments", {**booking, "start": "2026-12-07T11:00:00+01:00"})

    assert response.status_code == 201
    assert response.json()["start"] == MONDAY_10


def test_booking_a_time_without_an_offset_names_the_start_field(client_api, booking):
    response = client_api.post("/appointments", {**booking, "start": "2026-12-07T10:00:00"})

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["start"]
    assert response.json()["detail"].startswith("start:")
    assert not Appointment.objects.exists()


def test_booking_a_slot_just_taken_offers_nearby_alternatives(client_api, booking, service, therapist):
    AppointmentFactory(service=service, therapist=therapist, start=datetime(2026, 12, 7, 10, 0, tzinfo=UTC))

    response = client_api.post("/appointments", booking)

    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "Sorry, that time is no longer available. Here are other times nearby."
    assert body["alternatives"]
    assert body["alternatives"][0] == {
        "therapist": therapist.pk,
        "start": "2026-12-07T11:15:00+00:00",
        "end": "2026-12-07T12:15:00+00:00",
    }
    assert MONDAY_10 not in [slot["start"] for slot in body["alternatives"]]


def test_booking_a_time_the_clinic_refuses_is_a_400_with_the_reason(client_api, booking):
    response = client_api.post("/appointments", {**booking, "start": "2026-12-07T10:07:00+00:00"})

    assert response.status_code == 400
    assert response.json() == {"detail": "Appointments start on the 15-minute grid, for example 10:00."}


def test_booking_a_retired_service_is_refused_by_the_clinics_rules(client_api, booking):
    retired = ServiceFactory(name="Retired treatment", is_active=False)

    response = client_api.post("/appointments", {**booking, "service": retired.pk})

    assert response.status_code == 400
    assert "can't be booked" in response.json()["detail"]


def test_booking_an_unknown_service_or_therapist_names_the_field(client_api, booking):
    unknown_service = client_api.post("/appointments", {**booking, "service": 987654})
    unknown_therapist = client_api.post("/appointments", {**booking, "therapist": 987654})

    assert unknown_service.status_code == 422
    assert unknown_service.json()["errors"] == {"service": ["There is no service with id 987654."]}
    assert unknown_therapist.status_code == 422
    assert list(unknown_therapist.json()["errors"]) == ["therapist"]


def test_booking_with_an_empty_body_names_the_body(client_api):
    response = client_api.browser.post(
        "/api/v1/appointments",
        "",
        content_type="application/json",
        headers={"X-CSRFToken": client_api.browser.cookies["csrftoken"].value},
    )

    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["body"]


def test_booking_without_the_csrf_header_is_forbidden(client_api, booking):
    response = client_api.post("/appointments", booking, csrf=False)

    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF check Failed"
    assert not Appointment.objects.exists()


def test_appointment_endpoints_need_a_login(anonymous_api, booking, appointment):
    responses = [
        anonymous_api.get("/appointments"),
        anonymous_api.get(f"/appointments/{appointment.pk}"),
        anonymous_api.post("/appointments", booking),
        anonymous_api.post(f"/appointments/{appointment.pk}/cancel"),
        anonymous_api.post(
            f"/appointments/{appointment.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
        ),
    ]

    assert [response.status_code for response in responses] == [401] * 5
    assert all(response.json()["detail"] for response in responses)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_my_appointments_lists_only_mine_in_every_status_by_start(
    client_api, client_user, service, therapist
):
    later = AppointmentFactory(
        client=client_user,
        service=service,
        therapist=therapist,
        start=datetime(2026, 12, 8, 9, 0, tzinfo=UTC),
    )
    earlier_cancelled = AppointmentFactory(
        client=client_user,
        service=service,
        therapist=therapist,
        start=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        status=Appointment.Status.CANCELLED,
    )
    AppointmentFactory(service=service, therapist=therapist, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))

    response = client_api.get("/appointments")

    assert response.status_code == 200
    assert [(entry["id"], entry["status"]) for entry in response.json()] == [
        (earlier_cancelled.pk, "cancelled"),
        (later.pk, "booked"),
    ]


def test_one_of_my_appointments_can_be_read_by_id(client_api, appointment):
    response = client_api.get(f"/appointments/{appointment.pk}")

    assert response.status_code == 200
    assert response.json()["start"] == MONDAY_10


def test_someone_elses_appointment_is_not_found(client_api, service, therapist):
    theirs = AppointmentFactory(
        client=UserFactory(),
        service=service,
        therapist=therapist,
        start=datetime(2026, 12, 7, 10, 0, tzinfo=UTC),
    )

    responses = [
        client_api.get(f"/appointments/{theirs.pk}"),
        client_api.post(f"/appointments/{theirs.pk}/cancel"),
        client_api.post(
            f"/appointments/{theirs.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
        ),
    ]

    assert [response.status_code for response in responses] == [404] * 3
    assert all(response.json() == {"detail": "Not found."} for response in responses)
    theirs.refresh_from_db()
    assert theirs.status == Appointment.Status.BOOKED
    assert theirs.start == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_an_appointment_that_does_not_exist_is_not_found(client_api):
    assert client_api.get("/appointments/987654").json() == {"detail": "Not found."}
    assert client_api.post("/appointments/987654/cancel").status_code == 404


def test_cancelling_before_the_window_frees_the_slot(client_api, appointment):
    response = client_api.post(f"/appointments/{appointment.pk}/cancel")

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_cancelling_inside_the_window_asks_the_client_to_phone(client_api, client_user, service, therapist):
    soon = AppointmentFactory(client=client_user, service=service, therapist=therapist, start=LATER_TODAY)

    response = client_api.post(f"/appointments/{soon.pk}/cancel")

    assert response.status_code == 409
    assert "020 7946 0000" in response.json()["detail"]
    soon.refresh_from_db()
    assert soon.status == Appointment.Status.BOOKED


def test_cancelling_twice_is_refused(client_api, appointment):
    client_api.post(f"/appointments/{appointment.pk}/cancel")

    response = client_api.post(f"/appointments/{appointment.pk}/cancel")

    assert response.status_code == 400
    assert "no longer booked" in response.json()["detail"]


def test_cancelling_without_the_csrf_header_is_forbidden(client_api, appointment):
    response = client_api.post(f"/appointments/{appointment.pk}/cancel", csrf=False)

    assert response.status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_rescheduling_moves_the_appointment_with_the_same_therapist(client_api, appointment, therapist):
    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
    )

    assert response.status_code == 200
    assert response.json()["start"] == MONDAY_14
    assert response.json()["therapist"] == therapist.pk
    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)


def test_rescheduling_can_move_to_another_therapist(client_api, appointment, service):
    colleague = TherapistFactory(services=[service])

    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": MONDAY_14, "therapist": colleague.pk, "red_flags": nothing_new()},
    )

    assert response.status_code == 200
    assert response.json()["therapist"] == colleague.pk


def test_rescheduling_onto_a_taken_slot_offers_alternatives(client_api, appointment, service, therapist):
    AppointmentFactory(service=service, therapist=therapist, start=datetime(2026, 12, 7, 14, 0, tzinfo=UTC))

    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
    )

    assert response.status_code == 409
    assert response.json()["alternatives"]
    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_rescheduling_inside_the_window_asks_the_client_to_phone(client_api, client_user, service, therapist):
    soon = AppointmentFactory(client=client_user, service=service, therapist=therapist, start=LATER_TODAY)

    response = client_api.post(
        f"/appointments/{soon.pk}/reschedule", {"start": MONDAY_14, "red_flags": nothing_new()}
    )

    assert response.status_code == 409
    assert "020 7946 0000" in response.json()["detail"]


def test_rescheduling_to_a_time_the_clinic_refuses_is_a_400(client_api, appointment):
    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": "2026-12-06T10:00:00+00:00", "red_flags": nothing_new()},
    )

    assert response.status_code == 400
    assert response.json()["detail"] == "Maya Patel isn't working at that time."


def test_rescheduling_to_a_time_without_an_offset_or_an_unknown_therapist_names_the_field(
    client_api, appointment
):
    naive = client_api.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": "2026-12-07T14:00:00", "red_flags": nothing_new()},
    )
    unknown = client_api.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": MONDAY_14, "therapist": 987654, "red_flags": nothing_new()},
    )

    assert naive.status_code == 422
    assert list(naive.json()["errors"]) == ["start"]
    assert unknown.status_code == 422
    assert list(unknown.json()["errors"]) == ["therapist"]


def test_a_refusal_the_api_does_not_know_yet_is_a_plain_400():
    class NewRule(BookingError):
        pass

    assert refusal_response(NewRule("Not today.")) == (400, {"detail": "Not today."})


def clear_red_flags(**overrides):
    return nothing_new(**overrides)


def test_booking_without_an_intake_is_forbidden_until_one_is_filled_in(api_as, booking):
    newcomer = UserFactory()

    response = api_as(newcomer).post("/appointments", booking)

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Please fill in the health questionnaire before booking.",
        "outcome": None,
    }
    assert not Appointment.objects.exists()


def test_booking_with_a_clear_red_flag_recheck_books(client_api, booking):
    response = client_api.post("/appointments", {**booking, "red_flags": clear_red_flags()})

    assert response.status_code == 201


def test_booking_with_a_new_emergency_red_flag_is_forbidden_with_its_outcome(client_api, booking):
    response = client_api.post(
        "/appointments", {**booking, "red_flags": clear_red_flags(bladder_bowel_change=True)}
    )

    assert response.status_code == 403
    assert response.json()["outcome"] == "EMERGENCY"
    assert "999" in response.json()["detail"]
    assert not Appointment.objects.exists()


def test_booking_with_an_incomplete_recheck_names_the_missing_questions(client_api, booking):
    response = client_api.post("/appointments", {**booking, "red_flags": {"saddle_numbness": False}})

    assert response.status_code == 422
    assert "red_flags.bladder_bowel_change" in str(response.json()["detail"])
    assert "red_flags.pain_score" in str(response.json()["detail"])
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("path", ["/appointments", "/appointments/{id}/reschedule"])
def test_leaving_out_the_recheck_is_a_422_naming_red_flags(client_api, booking, appointment, path):
    body = {key: value for key, value in booking.items() if key != "red_flags"}
    if "reschedule" in path:
        body = {"start": MONDAY_14}

    response = client_api.post(path.format(id=appointment.pk), body)

    assert response.status_code == 422
    assert "red_flags" in str(response.json()["detail"])


@pytest.mark.parametrize(
    ("key", "value"),
    [("saddle_numbness", "no"), ("leg_weakness", "a bit"), ("pain_score", 11), ("recent_surgery_weeks", -1)],
)
def test_a_recheck_answer_of_the_wrong_type_is_a_422(client_api, booking, key, value):
    response = client_api.post("/appointments", {**booking, "red_flags": nothing_new(**{key: value})})

    assert response.status_code == 422
    assert f"red_flags.{key}" in str(response.json()["detail"])
    assert not Appointment.objects.exists()


def test_a_client_told_to_go_to_a_and_e_cannot_book_by_answering_no_to_everything(api_as, booking):
    client = UserFactory()
    submit_intake(client, saddle_numbness=True)
    api = api_as(client)

    again = api.post("/intake", {"answers": clear_answers(), "consent": True})
    response = api.post("/appointments", booking)

    assert again.status_code == 201
    assert again.json()["outcome"] == "EMERGENCY"
    assert again.json()["can_book"] is False
    assert response.status_code == 403
    assert response.json()["outcome"] == "EMERGENCY"
    assert not Appointment.objects.exists()


def test_mild_weakness_at_the_recheck_does_not_lower_severe_weakness_on_record(api_as, booking):
    client = UserFactory()
    submit_intake(client, leg_weakness="severe_or_worsening")

    response = api_as(client).post(
        "/appointments", {**booking, "red_flags": nothing_new(leg_weakness="mild")}
    )

    assert response.status_code == 403
    assert response.json()["outcome"] == "EMERGENCY"


def test_rescheduling_with_a_new_red_flag_is_forbidden_and_keeps_the_time(client_api, appointment):
    response = client_api.post(
        f"/appointments/{appointment.pk}/reschedule",
        {"start": MONDAY_14, "red_flags": clear_red_flags(recent_major_trauma=True)},
    )

    assert response.status_code == 403
    assert response.json()["outcome"] == "SEE_DOCTOR"
    appointment.refresh_from_db()
    assert appointment.start == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert appointment.cancellation_reason == Appointment.CancellationReason.HEALTH_CHECK


def test_the_openapi_schema_documents_the_recheck_as_required_with_an_example(anonymous_api):
    schema = anonymous_api.get("/openapi.json").json()["components"]["schemas"]

    assert "red_flags" in schema["AppointmentIn"]["required"]
    assert "red_flags" in schema["RescheduleIn"]["required"]
    recheck = schema["RecheckIn"]
    assert set(recheck["required"]) == set(nothing_new())
    assert set(recheck["examples"][0]) == set(nothing_new())
