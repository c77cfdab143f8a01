from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from care.models import TreatmentPlan
from care.selectors import plan_progress, plan_sessions_completed, plan_standings, plans_visible_to
from care.services import plan_end, plan_write, series_book
from tests.factories import AppointmentFactory, ServiceFactory, TherapistFactory, TreatmentPlanFactory

from .conftest import MONDAY_10, NOW


def write(world, by, **overrides):
    values = {
        "client": world.client,
        "therapist": world.therapist,
        "service": world.service,
        "goals": ["Sit through a work meeting", "  ", "Walk the dog for 30 minutes"],
        "sessions_planned": 6,
        "frequency": "weekly",
        "reassess_every_sessions": 3,
        "summary": "Six weekly sessions to ease the pain down your left leg.",
        "by": by,
    }
    return plan_write(**(values | overrides))


def test_the_clients_own_therapist_writes_a_plan_in_the_clients_words(world):
    plan = write(world, world.therapist.user)

    assert plan.goals == ["Sit through a work meeting", "Walk the dog for 30 minutes"]
    assert (plan.status, plan.written_by, plan.written_at) == ("active", world.therapist.user, NOW)
    assert plan.interval == timedelta(weeks=1)


@pytest.mark.parametrize("role", ["client", "other_therapist", "front_desk"])
def test_nobody_but_the_clients_therapist_or_an_admin_writes_their_plan(world, role):
    with pytest.raises(PermissionDenied):
        write(world, world.users[role])

    assert not TreatmentPlan.objects.exists()


def test_a_therapist_writes_plans_only_as_their_own(world):
    with pytest.raises(PermissionDenied):
        write(world, world.therapist.user, therapist=world.other_therapist)


def test_an_admin_writes_a_plan_for_any_therapist(world):
    plan = write(world, world.users["admin"], therapist=world.other_therapist)

    assert plan.therapist == world.other_therapist


def test_a_plan_with_bad_values_is_refused_field_by_field(world):
    with pytest.raises(ValidationError) as refused:
        write(
            world,
            world.therapist.user,
            service=ServiceFactory(),
            goals=[" "],
            sessions_planned=0,
            frequency="daily",
            summary="",
        )

    assert set(refused.value.message_dict) == {"service", "goals", "sessions_planned", "frequency", "summary"}


def test_a_new_plan_ends_the_clients_active_one(world):
    first = write(world, world.therapist.user)

    second = write(world, world.therapist.user, sessions_planned=4)

    first.refresh_from_db()
    assert (first.status, first.ended_at) == ("ended", NOW)
    assert second.status == "active"


def test_ending_a_plan_with_every_session_done_completes_it(clinic, plan):
    series = series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=[MONDAY_10 + timedelta(weeks=k) for k in range(6)],
        plan=plan,
        booked_by=plan.client,
    )
    series.appointments.update(status="completed")

    ended = plan_end(plan=plan, by=plan.therapist.user)

    assert ended.status == "completed"
    assert len(plan_sessions_completed(plan)) == 6
    assert plan_progress(plan).is_finished


def test_ending_a_plan_early_says_so_and_twice_is_refused(clinic, plan):
    AppointmentFactory(client=plan.client, therapist=plan.therapist, service=plan.service, start=NOW)
    assert plan_end(plan=plan, by=plan.therapist.user).status == "ended"

    with pytest.raises(ValidationError):
        plan_end(plan=plan, by=plan.therapist.user)


def test_progress_counts_completed_sessions_and_those_booked_ahead(clinic, plan):
    series = series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=[MONDAY_10 + timedelta(weeks=k) for k in range(4)],
        plan=plan,
        booked_by=plan.client,
    )
    first, second, *_ = series.appointments.order_by("start")
    first.status, second.status = "completed", "no_show"
    first.save()
    second.save()

    with time_machine.travel(MONDAY_10 + timedelta(weeks=1, days=1), tick=False):
        progress = plan_progress(plan)

    assert (progress.sessions_done, progress.sessions_booked_ahead, progress.sessions_to_book) == (1, 2, 3)
    assert progress.next_session.start == MONDAY_10 + timedelta(weeks=2)
    assert progress.last_session == second
    assert not progress.is_finished


def test_a_client_with_nothing_booked_for_twice_the_interval_since_their_last_session_has_dropped_off(
    clinic, service, therapist, client_user
):
    weekly = TreatmentPlanFactory(client=client_user, therapist=therapist, service=service)
    series = series_book(
        client=client_user,
        therapist=therapist,
        service=service,
        starts=[MONDAY_10],
        plan=weekly,
        booked_by=client_user,
    )
    series.appointments.update(status="completed")

    def dropped_off(at):
        with time_machine.travel(at, tick=False):
            return plan_standings([weekly])[0].dropped_off

    assert not dropped_off(MONDAY_10 + timedelta(days=13))
    assert dropped_off(MONDAY_10 + timedelta(days=15))


def test_a_plan_with_no_session_yet_counts_from_when_it_was_written(clinic, plan):
    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        [standing] = plan_standings([plan])

    assert standing.dropped_off and standing.quiet_since == NOW


def test_a_client_with_a_session_booked_ahead_has_not_dropped_off(clinic, plan):
    series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=[MONDAY_10 + timedelta(weeks=3)],
        plan=plan,
        booked_by=plan.client,
    )

    with time_machine.travel(NOW + timedelta(days=15), tick=False):
        assert not plan_standings([plan])[0].dropped_off


def test_staff_see_the_plans_privacy_lets_them(world):
    plan = TreatmentPlanFactory(client=world.client, therapist=world.therapist, service=world.service)
    elsewhere = TreatmentPlanFactory(therapist=TherapistFactory(), service=world.service)

    assert list(plans_visible_to(world.therapist.user)) == [plan]
    assert list(plans_visible_to(world.other_therapist.user)) == []
    assert set(plans_visible_to(world.users["front_desk"])) == {plan, elsewhere}
    assert set(plans_visible_to(world.users["admin"])) == {plan, elsewhere}
    assert list(plans_visible_to(world.client)) == []
