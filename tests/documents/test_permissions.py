"""Who may open what: every documents page and API path, for each role of the workspace's matrix
(tests/workspace/test_permissions.py) and another client. Anything refused answers 404, as if it
did not exist; anonymous visitors are sent to log in (the API answers them 401)."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.models import Letter
from tests.factories import AppointmentFactory
from tests.workspace.data import NOW, THURSDAY_10

from .conftest import PDF_BYTES, pay, plan_with_sessions, record_referral

ROLES = ("anonymous", "client", "other_client", "other_therapist", "own_therapist", "front_desk", "admin")
LOGIN = "login"
CLINICAL = (LOGIN, 200, 404, 404, 200, 404, 200)  # the client, their therapist, admins
RECEIPTS = (LOGIN, 200, 404, 404, 200, 200, 200)  # and the front desk
STAFF_CLINICAL = (LOGIN, 404, 404, 404, 200, 404, 200)
DESK = (LOGIN, 404, 404, 404, 404, 200, 200)
API_CLINICAL = (401, 200, 404, 404, 200, 404, 200)
API_RECEIPTS = (401, 200, 404, 404, 200, 200, 200)


@pytest.fixture
def docs(world, front_desk_user):
    """A referral with a scan, a plan and its letter, a receipt, and a session not yet paid."""
    referral = record_referral(
        world.client,
        by=world.therapist.user,
        scan=SimpleUploadedFile("r.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    plan = plan_with_sessions(
        client=world.client, therapist=world.therapist, service=world.service, completed=2
    )
    # Issued as the service would, less the PDF's drawing (test_letters.py reads that).
    letter = Letter.objects.create(
        client=world.client,
        plan=plan,
        addressed_to="Dr Lee",
        summary="Going well.",
        pdf=PDF_BYTES,
        issued_at=NOW,
    )
    receipt = pay(world.appointment, by=front_desk_user)
    unpaid = AppointmentFactory(
        client=world.client,
        therapist=world.therapist,
        service=world.service,
        start=THURSDAY_10 - timedelta(days=30),
    )
    world.users["other_client"] = world.other_client_appointment.client
    return {
        "referral": referral,
        "plan": plan,
        "letter": letter,
        "receipt": receipt,
        "unpaid": unpaid,
        "client": world.client,
        "other_client": world.other_client_appointment.client,
    }


def url(name, key=None, *, attr="pk", query=""):
    def build(d):
        args = [getattr(d[key], attr)] if key else []
        return reverse(f"documents:{name}", args=args) + query

    return build


def api(path):
    return lambda d: "/api/v1/documents" + path.format(**{k: getattr(v, "pk", v) for k, v in d.items()})


REFERRAL_POST = {
    "doctor_name": "Dr Lee",
    "practice": "",
    "written_on": "2026-11-24",
    "sessions": "6",
    "period_weeks": "8",
    "valid_until": "",
    "notes": "",
}

# (what, method, url, body, expected status for each of ROLES)
PAGES = [
    ("my documents", "get", url("mine"), None, (LOGIN, 200, 200, 200, 200, 200, 200)),
    ("download a letter", "get", url("letter_download", "letter"), None, CLINICAL),
    ("download a receipt", "get", url("receipt_download", "receipt"), None, RECEIPTS),
    ("download a referral's scan", "get", url("referral_scan", "referral"), None, CLINICAL),
    ("a client's documents", "get", url("client", "client"), None, (LOGIN, 404, 404, 404, 200, 200, 200)),
    (
        "another client's documents",
        "get",
        url("client", "other_client"),
        None,
        (LOGIN, 404, 404, 200, 404, 200, 200),
    ),
    ("record a referral", "get", url("referral_new", "client"), None, STAFF_CLINICAL),
    ("write a letter", "get", url("letter_new", "plan"), None, STAFF_CLINICAL),
    ("record a payment", "get", url("payment_new", "unpaid"), None, DESK),
    ("correct a receipt", "get", url("receipt_correct", "receipt"), None, DESK),
    (
        "letter that doesn't exist",
        "get",
        lambda d: "/documents/letters/987654.pdf",
        None,
        (LOGIN, *[404] * 6),
    ),
    (
        "receipt that doesn't exist",
        "get",
        lambda d: "/documents/receipts/987654.pdf",
        None,
        (LOGIN, *[404] * 6),
    ),
    (
        "scan that doesn't exist",
        "get",
        lambda d: "/documents/referrals/987654/scan/",
        None,
        (LOGIN, *[404] * 6),
    ),
    # Writes.
    (
        "record a referral (POST)",
        "post",
        url("referral_new", "client"),
        REFERRAL_POST,
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    (
        "write a letter (POST)",
        "post",
        url("letter_new", "plan"),
        {"addressed_to": "Dr Lee", "summary": "Better."},
        (LOGIN, 404, 404, 404, 302, 404, 302),
    ),
    (
        "record a payment (POST)",
        "post",
        url("payment_new", "unpaid"),
        {"amount": "65.00", "method": "card"},
        (LOGIN, 404, 404, 404, 404, 302, 302),
    ),
    (
        "correct a receipt (POST)",
        "post",
        url("receipt_correct", "receipt"),
        {"amount": "60.00", "method": "cash", "reason": "Wrong amount"},
        (LOGIN, 404, 404, 404, 404, 302, 302),
    ),
    # The JSON API.
    ("API: my documents", "get", api(""), None, (401, 200, 200, 200, 200, 200, 200)),
    ("API: the client's documents", "get", api("?client={client}"), None, API_RECEIPTS),
    ("API: a letter", "get", api("/letters/{letter}.pdf"), None, API_CLINICAL),
    ("API: a receipt", "get", api("/receipts/{receipt}.pdf"), None, API_RECEIPTS),
    ("API: the client's referrals", "get", api("/referrals?client={client}"), None, API_CLINICAL),
    ("API: a letter that doesn't exist", "get", api("/letters/987654.pdf"), None, (401, *[404] * 6)),
    ("API: a receipt that doesn't exist", "get", api("/receipts/987654.pdf"), None, (401, *[404] * 6)),
]

CASES = [
    pytest.param(role, method, build_url, body, statuses[index], id=f"{what} as {role}")
    for what, method, build_url, body, statuses in PAGES
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "method", "build_url", "body", "expected"), CASES)
def test_who_may_open_what(client, world, docs, role, method, build_url, body, expected):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    path = build_url(docs)

    response = client.get(path) if method == "get" else client.post(path, body)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
        if expected == 302:
            assert not response["Location"].startswith(reverse("login"))
        if path.startswith("/api/") and expected != 200:
            assert "detail" in json.loads(response.content)


def test_the_front_desk_lists_a_clients_receipts_but_not_their_letters_in_the_api(
    client, world, docs, front_desk_user
):
    client.force_login(front_desk_user)

    listed = client.get("/api/v1/documents", {"client": world.client.pk}).json()

    assert listed["letters"] == []
    assert [receipt["number"] for receipt in listed["receipts"]] == ["R-000001"]


def test_a_clients_api_list_is_their_own_whoever_else_has_documents(client, world, docs, front_desk_user):
    other = docs["other_client"]
    other_receipt = pay(world.other_client_appointment, by=front_desk_user)
    client.force_login(other)

    listed = client.get("/api/v1/documents").json()

    assert [receipt["id"] for receipt in listed["receipts"]] == [other_receipt.pk]
    assert listed["letters"] == []
