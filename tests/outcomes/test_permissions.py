"""Who may open the outcomes pages and API paths, in the workspace's role matrix.

Refusals are 404, as if the page did not exist; anonymous visitors are sent to log in (the API
answers them 401).
"""

import json

import pytest
from django.urls import reverse

from outcomes.models import OutcomeResponse
from tests.workspace.data import NOW

ROLES = ("anonymous", "client", "other_therapist", "own_therapist", "front_desk", "admin")
LOGIN = "login"


def outcomes_of(world):
    return f"/api/v1/clients/{world.client.pk}/outcomes"


def other_clients_outcomes(world):
    return f"/api/v1/clients/{world.other_client_appointment.client_id}/outcomes"


# (what, method, url, body, expected status for each of ROLES)
PATHS = [
    (
        "questionnaires page",
        "get",
        lambda w: reverse("outcomes:start"),
        None,
        (LOGIN, 200, 404, 404, 404, 404),
    ),
    ("API: definitions", "get", lambda w: "/api/v1/outcomes/measures", None, (200, 200, 200, 200, 200, 200)),
    ("API: my scores", "get", lambda w: "/api/v1/outcomes/responses", None, (401, 200, 200, 200, 200, 200)),
    (
        "API: fill one in",
        "post_json",
        lambda w: "/api/v1/outcomes/responses",
        {"measure": "pain", "answers": {"pain": 4}},
        (401, 201, 403, 403, 403, 403),
    ),
    ("API: a client's scores", "get", outcomes_of, None, (401, 404, 404, 200, 404, 200)),
    ("API: another therapist's client", "get", other_clients_outcomes, None, (401, 404, 200, 404, 404, 200)),
    (
        "API: a staff account as a client",
        "get",
        lambda w: f"/api/v1/clients/{w.therapist.user_id}/outcomes",
        None,
        (401, 404, 404, 404, 404, 404),
    ),
    (
        "API: no such client",
        "get",
        lambda w: "/api/v1/clients/987654/outcomes",
        None,
        (401, 404, 404, 404, 404, 404),
    ),
]

CASES = [
    pytest.param(role, method, build_url, body, statuses[index], id=f"{what} as {role}")
    for what, method, build_url, body, statuses in PATHS
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
    else:
        response = client.post(path, json.dumps(body), content_type="application/json")

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected


@pytest.mark.parametrize(
    ("role", "sees_scores"),
    [("other_therapist", None), ("own_therapist", True), ("front_desk", False), ("admin", True)],
)
def test_only_the_clients_therapists_and_admins_see_the_outcomes_on_the_client_page(
    client, world, role, sees_scores
):
    OutcomeResponse.objects.create(
        client=world.client, measure="pain", answers={"pain": 6}, score=6, taken_at=NOW, occasion="intake"
    )
    client.force_login(world.users[role])

    response = client.get(reverse("workspace:client", args=[world.client.pk]))

    if sees_scores is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert ('id="outcomes-heading"' in response.content.decode()) is sees_scores


def test_a_client_reading_their_scores_never_sees_anyone_elses(client, world):
    OutcomeResponse.objects.create(
        client=world.other_client_appointment.client,
        measure="pain",
        answers={"pain": 9},
        score=9,
        taken_at=NOW,
        occasion="intake",
    )
    client.force_login(world.client)

    assert client.get("/api/v1/outcomes/responses").json() == {"outcomes": [], "responses": []}
