"""Who may open what among the plan, series and package pages and API paths, for each role.

Anything refused answers 404, as if it did not exist; anonymous visitors are sent to log in
(the JSON API answers them 401). The plan, series and purchase are Sam Jones's (the client),
with Maya Patel (own_therapist); the other client and the other therapist have their own.
"""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from bookings.forms import start_param
from care.services import package_sell, series_book
from tests.factories import PackageFactory, TreatmentPlanFactory, nothing_new

from .conftest import MONDAY_10

ROLES = ("anonymous", "client", "other_client", "other_therapist", "own_therapist", "front_desk", "admin")
LOGIN = "login"
KEEPERS = (LOGIN, 404, 404, 404, 404, 200, 200)  # front desk and admins only
CLIENTS_OWN = (LOGIN, 200, 404, 404, 404, 404, 404)  # the client's own page, nobody else's
API_CLIENTS_OWN = (401, 200, 404, 404, 404, 404, 404)


def url(name, *args):
    return lambda w: reverse(f"care:{name}", args=[arg(w) for arg in args])


def plan_id(w):
    return w.plan.pk


def series_id(w):
    return w.series.pk


def client_id(w):
    return w.client.pk


def plan_form(w):
    return {
        "therapist": w.therapist.pk,
        "service": w.service.pk,
        "goals": "Sit through a work meeting",
        "sessions_planned": "6",
        "frequency": "weekly",
        "reassess_every_sessions": "3",
        "summary": "Six weekly sessions.",
    }


def series_post(w):
    start = MONDAY_10 + timedelta(weeks=3)
    return {"start": start_param(start), "sessions": "1", "session_0": start_param(start)}


# (what, method, url, body, expected status for each of ROLES)
PAGES = [
    ("my plan", "get", url("my_plan"), None, (LOGIN, 200, 200, 200, 200, 200, 200)),
    ("book my sessions", "get", url("my_plan_book", plan_id), None, CLIENTS_OWN),
    (
        "book my sessions (post)",
        "post",
        url("my_plan_book", plan_id),
        series_post,
        (LOGIN, 302, 404, 404, 404, 404, 404),
    ),
    ("cancel my series", "get", url("my_series_cancel", series_id), None, CLIENTS_OWN),
    (
        "cancel my series (post)",
        "post",
        url("my_series_cancel", series_id),
        {},
        (LOGIN, 302, 404, 404, 404, 404, 404),
    ),
    ("clients on a plan", "get", url("plan_list"), None, (LOGIN, 404, 404, 200, 200, 200, 200)),
    ("plan", "get", url("plan_detail", plan_id), None, (LOGIN, 404, 404, 404, 200, 200, 200)),
    (
        "plan that doesn't exist",
        "get",
        lambda w: "/staff/plans/987654/",
        None,
        (LOGIN, 404, 404, 404, 404, 404, 404),
    ),
    ("write a plan", "get", url("plan_new", client_id), None, (LOGIN, 404, 404, 404, 200, 404, 200)),
    (
        "write a plan (post)",
        "post",
        url("plan_new", client_id),
        plan_form,
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    ("end the plan", "post", url("plan_end", plan_id), {}, (LOGIN, 404, 404, 404, 302, 404, 302)),
    ("book the plan's sessions", "get", url("plan_book", plan_id), None, KEEPERS),
    (
        "book the plan's sessions (post)",
        "post",
        url("plan_book", plan_id),
        series_post,
        (LOGIN, 404, 404, 404, 404, 302, 302),
    ),
    (
        "cancel a series for the client",
        "post",
        url("series_cancel", series_id),
        {},
        (LOGIN, 404, 404, 404, 404, 302, 302),
    ),
    ("sell a package", "get", url("package_sell", client_id), None, KEEPERS),
    (
        "sell a package (post)",
        "post",
        url("package_sell", client_id),
        lambda w: {"package": w.package.pk, "payment_method": "cash"},
        (LOGIN, 404, 404, 404, 404, 302, 302),
    ),
    # The JSON API: plans as privacy allows; series and packages only ever the caller's own.
    ("API: plans", "get", lambda w: "/api/v1/plans", None, (401, 200, 200, 200, 200, 200, 200)),
    ("API: a plan", "get", lambda w: f"/api/v1/plans/{w.plan.pk}", None, (401, 200, 404, 404, 200, 200, 200)),
    (
        "API: preview a series",
        "post_json",
        lambda w: "/api/v1/series/preview",
        lambda w: {"plan": w.plan.pk, "first_start": MONDAY_10.isoformat()},
        (401, 200, 422, 422, 422, 422, 422),
    ),
    (
        "API: book a series",
        "post_json",
        lambda w: "/api/v1/series",
        lambda w: {
            "plan": w.plan.pk,
            "starts": [(MONDAY_10 + timedelta(weeks=3)).isoformat()],
            "red_flags": nothing_new(),
        },
        (401, 201, 422, 422, 422, 422, 422),
    ),
    ("API: a series", "get", lambda w: f"/api/v1/series/{w.series.pk}", None, API_CLIENTS_OWN),
    (
        "API: cancel a series",
        "post_json",
        lambda w: f"/api/v1/series/{w.series.pk}/cancel",
        {},
        API_CLIENTS_OWN,
    ),
    ("API: my packages", "get", lambda w: "/api/v1/packages/mine", None, (401, 200, 200, 200, 200, 200, 200)),
]

CASES = [
    pytest.param(role, method, build_url, body, statuses[index], id=f"{what} as {role}")
    for what, method, build_url, body, statuses in PAGES
    for index, role in enumerate(ROLES)
]


@pytest.fixture
def care_world(world):
    """The workspace's world, with Sam's plan, a series of three sessions and a package."""
    world.plan = TreatmentPlanFactory(client=world.client, therapist=world.therapist, service=world.service)
    world.series = series_book(
        client=world.client,
        therapist=world.therapist,
        service=world.service,
        starts=[
            MONDAY_10 + timedelta(weeks=k, hours=4) for k in range(3)
        ],  # 14:00: Maya is away on the 14th until 13:00
        plan=world.plan,
        booked_by=world.client,
    )
    world.package = PackageFactory(service=world.service)
    package_sell(
        client=world.client,
        package=world.package,
        payment_method="card",
        amount_paid=Decimal("300"),
        by=world.users["front_desk"],
    )
    other_client = world.other_client_appointment.client
    TreatmentPlanFactory(
        client=other_client,
        therapist=world.other_therapist,
        service=world.service,
        summary="Four for your back.",
    )
    world.users = {**world.users, "other_client": other_client}
    return world


@pytest.mark.parametrize(("role", "method", "build_url", "body", "expected"), CASES)
def test_who_may_open_what(client, care_world, role, method, build_url, body, expected):
    user = care_world.users[role]
    if user is not None:
        client.force_login(user)
    path = build_url(care_world)
    body = body(care_world) if callable(body) else body

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
        assert response.status_code == expected, response.content[:300]
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))


def test_each_client_sees_only_their_own_plan_and_packages(client, care_world):
    client.force_login(care_world.users["other_client"])

    page = client.get(reverse("care:my_plan")).content.decode()
    api = client.get("/api/v1/plans").json()

    assert "Four for your back." in page and "ease the pain" not in page
    assert care_world.plan.pk not in [each["id"] for each in api]
    assert client.get("/api/v1/packages/mine").json() == []


def test_a_therapist_lists_only_their_own_clients_plans(client, care_world):
    client.force_login(care_world.other_therapist.user)

    listed = client.get("/api/v1/plans").json()

    assert care_world.plan.pk not in [each["id"] for each in listed]
    assert [s.plan.client for s in client.get(reverse("care:plan_list")).context["standings"]] == [
        care_world.other_client_appointment.client
    ]
