"""The report's outcomes: the share of clients finishing a plan with a meaningful improvement on
the primary measure, per therapist and service, shown only from 5 clients."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.selectors import clinic_get
from outcomes.models import OutcomeResponse
from outcomes.report import outcome_shares
from tests.factories import UserFactory
from tests.workspace.data import NOW

from .conftest import plan_with_sessions

DECEMBER = {"first": "2026-12-01", "last": "2026-12-31"}


def finished_plan(world, *, index, pain_before=8, pain_after=5, measure="pain", completed=2, planned=2):
    """Client number `index` finishes a 2-session plan this week (each at their own hour), with a
    score before the plan and one at its end."""
    person = UserFactory(first_name=f"Client{index}")
    plan = plan_with_sessions(
        client=person,
        therapist=world.therapist,
        service=world.service,
        completed=completed,
        planned=planned,
        every=planned,
        last_end=NOW - timedelta(hours=2 + 2 * index),
    )
    answers = {"pain": 0} if measure == "pain" else {}
    OutcomeResponse.objects.create(
        client=person,
        measure=measure,
        answers=answers,
        score=pain_before,
        taken_at=plan.written_at - timedelta(days=1),
        occasion="intake",
    )
    OutcomeResponse.objects.create(
        client=person,
        measure=measure,
        answers=answers,
        score=pain_after,
        taken_at=NOW,
        occasion="discharge",
        plan=plan,
    )
    return plan


def shares(world):
    return outcome_shares(first=date(2026, 12, 1), last=date(2026, 12, 31), clinic=clinic_get())


def test_five_clients_finishing_a_plan_give_a_share(world):
    for index in range(5):
        finished_plan(world, index=index, pain_after=5 if index < 3 else 7)  # 3 of 5 meaningfully better

    result = shares(world)

    [by_therapist] = result.by_therapist
    assert (by_therapist.label, by_therapist.clients, by_therapist.improved, by_therapist.share) == (
        "Maya Patel",
        5,
        3,
        0.6,
    )
    [by_service] = result.by_service
    assert (by_service.label, by_service.share) == ("Deep tissue", 0.6)


def test_fewer_than_five_clients_show_nothing_but_a_dash(client, world):
    for index in range(4):
        finished_plan(world, index=index)
    client.force_login(world.users["admin"])

    page = client.get(reverse("workspace:report"), DECEMBER).content.decode()

    [row] = shares(world).by_therapist
    assert (row.clients, row.shown, row.share) == (4, False, None)
    assert "fewer than 5 clients" in page
    assert "100.0%" not in page


def test_the_report_page_shows_the_share_and_how_many_clients_it_rests_on(client, world):
    for index in range(5):
        finished_plan(world, index=index, pain_after=5 if index < 4 else 8)
    client.force_login(world.users["front_desk"])

    page = client.get(reverse("workspace:report"), DECEMBER).content.decode()

    assert "Outcomes of finished treatment plans" in page
    assert '<td class="text-end">80.0%</td><td class="text-end">5</td>' in page


def test_a_plan_not_yet_finished_does_not_count(world):
    for index in range(4):
        finished_plan(world, index=index)
    finished_plan(world, index=4, completed=1, planned=2)

    assert shares(world).by_therapist[0].clients == 4


def test_a_plan_marked_completed_early_counts_when_it_was_marked(world):
    for index in range(5):
        plan = finished_plan(world, index=index, completed=1, planned=3)
        plan.status = "completed"
        plan.ended_at = NOW
        plan.save()

    assert shares(world).by_therapist[0].clients == 5


def test_a_plan_with_only_the_sciatica_index_has_no_verdict_and_is_left_out(world):
    for index in range(5):
        finished_plan(world, index=index, measure="sbi", pain_before=20, pain_after=4)

    assert shares(world).by_therapist == []


@pytest.mark.parametrize("plans", [2, 6])
def test_the_outcomes_take_the_same_queries_whatever_the_number_of_plans(world, plans):
    for index in range(plans):
        finished_plan(world, index=index)
    clinic = clinic_get()

    with CaptureQueriesContext(connection) as queries:
        outcome_shares(first=date(2026, 12, 1), last=date(2026, 12, 31), clinic=clinic)

    assert len(queries) == 4
