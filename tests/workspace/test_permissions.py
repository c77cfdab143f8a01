"""Who may open what: every staff page (and the API paths that touch appointments) for each role.

Anything refused answers 404, as if it did not exist; anonymous visitors are sent to log in
(the JSON API answers them 401).
"""

import json

import pytest
from django.urls import reverse

from tests.factories import nothing_new

from .data import note_data

ROLES = ("anonymous", "client", "other_therapist", "own_therapist", "front_desk", "admin")
LOGIN = "login"  # a redirect to the login page
KEEPERS = (LOGIN, 404, 404, 404, 200, 200)  # front desk and admins only


def url(name, *args):
    return lambda world: reverse(f"workspace:{name}", args=[arg(world) for arg in args])


def appointment_id(world):
    return world.appointment.pk


def client_id(world):
    return world.client.pk


# (what, method, url, body, expected status for each of ROLES)
PAGES = [
    ("home", "get", url("home"), None, (LOGIN, 404, 302, 302, 302, 302)),
    ("agenda", "get", url("agenda"), None, (LOGIN, 404, 200, 200, 200, 200)),
    (
        "agenda of the own therapist",
        "get",
        lambda w: reverse("workspace:agenda") + f"?therapist={w.therapist.pk}",
        None,
        (LOGIN, 404, 404, 200, 200, 200),
    ),
    ("appointment", "get", url("appointment", appointment_id), None, (LOGIN, 404, 404, 200, 200, 200)),
    (
        "appointment that doesn't exist",
        "get",
        lambda w: "/staff/appointments/987654/",
        None,
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    ("client page", "get", url("client", client_id), None, (LOGIN, 404, 404, 200, 200, 200)),
    (
        "client that doesn't exist",
        "get",
        lambda w: "/staff/clients/987654/",
        None,
        (LOGIN, 404, 404, 404, 404, 404),
    ),
    ("clients", "get", url("client_list"), None, (LOGIN, 404, 200, 200, 200, 200)),
    ("new client", "get", url("client_new"), None, KEEPERS),
    ("intake on the client's behalf", "get", url("client_intake", client_id), None, KEEPERS),
    ("book for the client", "get", url("client_book", client_id), None, KEEPERS),
    ("confirm a booking for the client", "get", url("client_book_confirm", client_id), None, KEEPERS),
    ("move", "get", url("appointment_move", appointment_id), None, KEEPERS),
    ("cancel", "get", url("appointment_cancel", appointment_id), None, KEEPERS),
    ("day schedule", "get", url("schedule_day"), None, KEEPERS),
    ("week schedule", "get", url("schedule_week"), None, KEEPERS),
    ("therapists", "get", url("therapist_list"), None, KEEPERS),
    ("weekly hours", "get", url("therapist_hours", lambda w: w.therapist.pk), None, KEEPERS),
    ("weekly hours saved", "get", url("therapist_hours_saved", lambda w: w.therapist.pk), None, KEEPERS),
    ("time off", "get", url("therapist_time_off", lambda w: w.therapist.pk), None, KEEPERS),
    ("time off saved", "get", url("time_off_saved", lambda w: w.time_off.pk), None, KEEPERS),
    ("closures", "get", url("closure_list"), None, KEEPERS),
    ("closure saved", "get", url("closure_saved", lambda w: w.closure.pk), None, KEEPERS),
    ("report", "get", url("report"), None, KEEPERS),
    # Writes.
    (
        "write the session note",
        "post",
        url("appointment", appointment_id),
        note_data(),
        (LOGIN, 404, 404, 302, 404, 404),
    ),
    (
        "record attendance",
        "post",
        url("appointment_attendance", appointment_id),
        {"status": "completed"},
        (LOGIN, 404, 404, 302, 302, 302),
    ),
    (
        "cancel for the client",
        "post",
        url("appointment_cancel", appointment_id),
        {},
        (LOGIN, 404, 404, 404, 302, 302),
    ),
    (
        "remove time off",
        "post",
        url("time_off_remove", lambda w: w.time_off.pk),
        {},
        (LOGIN, 404, 404, 404, 302, 302),
    ),
    (
        "reopen a closed day",
        "post",
        url("closure_remove", lambda w: w.closure.pk),
        {},
        (LOGIN, 404, 404, 404, 302, 302),
    ),
    # The JSON API only ever serves a client's own appointments, whoever asks.
    (
        "API: another client's appointment",
        "get",
        lambda w: f"/api/v1/appointments/{w.other_client_appointment.pk}",
        None,
        (401, 404, 404, 404, 404, 404),
    ),
    (
        "API: cancel another client's appointment",
        "post_json",
        lambda w: f"/api/v1/appointments/{w.other_client_appointment.pk}/cancel",
        {},
        (401, 404, 404, 404, 404, 404),
    ),
    (
        "API: move another client's appointment",
        "post_json",
        lambda w: f"/api/v1/appointments/{w.other_client_appointment.pk}/reschedule",
        {"start": "2026-12-08T10:00:00Z", "red_flags": nothing_new()},
        (401, 404, 404, 404, 404, 404),
    ),
]

CASES = [
    pytest.param(role, method, build_url, body, statuses[index], id=f"{what} as {role}")
    for what, method, build_url, body, statuses in PAGES
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "method", "build_url", "body", "expected"), CASES)
def test_who_may_open_what(client, world, role, method, build_url, body, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    path = build_url(world)

    if method == "get":
        response = client.get(path)
    elif method == "post":
        response = client.post(path, body)
    else:
        response = client.post(path, json.dumps(body), content_type="application/json")

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))


def test_a_clients_api_list_never_shows_another_clients_appointments(client, world):
    client.force_login(world.client)

    listed = client.get("/api/v1/appointments").json()

    assert [each["id"] for each in listed] == [world.appointment.pk]


def test_a_therapist_stops_seeing_a_client_whose_only_appointment_was_cancelled(client, world):
    world.appointment.status = "cancelled"
    world.appointment.save()
    client.force_login(world.therapist.user)

    assert client.get(reverse("workspace:client", args=[world.client.pk])).status_code == 404
    assert client.get(reverse("workspace:appointment", args=[world.appointment.pk])).status_code == 200


def test_a_therapist_cannot_list_or_search_other_therapists_clients(client, world):
    client.force_login(world.other_therapist.user)

    response = client.get(reverse("workspace:client_list"), {"q": "Jones"})

    assert "Sam Jones" not in response.content.decode()
    assert list(response.context["clients"]) == []
