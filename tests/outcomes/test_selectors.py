"""Each measure's first and latest score, for a plan and for a client (other apps' contract)."""

from datetime import timedelta
from decimal import Decimal

from outcomes.models import OutcomeResponse
from outcomes.selectors import client_outcomes, plan_outcomes
from tests.workspace.data import NOW

from .conftest import plan_with_sessions


def response(client, measure, value, *, days_ago, plan=None, occasion="intake"):
    return OutcomeResponse.objects.create(
        client=client,
        measure=measure,
        answers={},
        score=value,
        taken_at=NOW - timedelta(days=days_ago),
        occasion=occasion,
        plan=plan,
    )


def test_a_plan_starts_from_the_latest_intake_scores_before_it_was_written(world):
    plan = plan_with_sessions(
        client=world.client, therapist=world.therapist, service=world.service, completed=3
    )
    written_days_ago = (NOW - plan.written_at).days
    response(world.client, "pain", 9, days_ago=written_days_ago + 200)  # too old to be its start
    response(world.client, "pain", 8, days_ago=written_days_ago + 10)
    response(world.client, "pain", 7, days_ago=written_days_ago + 2)
    response(world.client, "pain", 4, days_ago=0, plan=plan, occasion="reassessment")

    [pain] = plan_outcomes(plan)

    assert (pain.measure_key, pain.first_score, pain.latest_score, pain.change) == ("pain", 7, 4, 3)
    assert pain.meaningful is True
    assert pain.verdict == "meaningful improvement"
    assert pain.threshold_text == "2 points or 30%"
    assert pain.latest_at == NOW


def test_with_one_score_there_is_no_latest_and_no_change_yet(world):
    response(world.client, "sbi", 14, days_ago=3)

    [sbi] = client_outcomes(world.client)

    assert (sbi.first_score, sbi.latest_score, sbi.change, sbi.meaningful) == (14, None, None, None)
    assert sbi.verdict == ""
    assert sbi.threshold_text == "no published threshold"


def test_a_clients_outcomes_compare_their_first_and_latest_scores_in_page_order(world):
    response(world.client, "pain", 6, days_ago=30)
    response(world.client, "psfs", Decimal("2.50"), days_ago=30)
    response(world.client, "pain", 7, days_ago=1)
    response(world.client, "psfs", Decimal("5.00"), days_ago=1)

    psfs, pain = client_outcomes(world.client)

    assert (psfs.measure_key, psfs.change, psfs.verdict) == (
        "psfs",
        Decimal("2.50"),
        "meaningful improvement",
    )
    assert (pain.measure_key, pain.change, pain.verdict) == ("pain", -1, "not yet meaningful")
