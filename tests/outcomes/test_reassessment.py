"""The plan's re-assessment points: one email per point from the beat task, and the signed link
that opens the questionnaires without logging in."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from notifications.models import Message
from outcomes.links import reassessment_token
from outcomes.models import OutcomeResponse, ReassessmentInvite
from outcomes.services import reassessment_point, reassessments_queue
from outcomes.tasks import reassessments_due
from tests.workspace.data import NOW

from .conftest import PSFS_ANSWERS, complete_next_session, plan_with_sessions


def reassessment_messages():
    return Message.objects.filter(kind=Message.Kind.REASSESSMENT)


def a_plan(world, **kwargs):
    return plan_with_sessions(client=world.client, therapist=world.therapist, service=world.service, **kwargs)


def test_points_fall_every_n_sessions_and_at_the_last():
    points = [reassessment_point(sessions_done=done, every=3, planned=8) for done in range(10)]

    assert points == [0, 0, 0, 3, 3, 3, 6, 6, 8, 8]


def test_the_beat_task_queues_exactly_one_email_per_reassessment_point(world):
    plan = a_plan(world, completed=3, booked=3)

    reassessments_due()
    reassessments_due()

    [message] = reassessment_messages()
    assert (message.recipient, message.status, message.appointment) == (world.client, "queued", None)
    assert message.link.startswith("/outcomes/r/")
    [invite] = ReassessmentInvite.objects.all()
    assert (invite.plan, invite.after_sessions, invite.occasion) == (plan, 3, "reassessment")

    with time_machine.travel(NOW + timedelta(weeks=1), tick=False):
        complete_next_session(plan)  # 4 done: no new point
        reassessments_due()
    assert reassessment_messages().count() == 1

    with time_machine.travel(NOW + timedelta(weeks=3), tick=False):
        complete_next_session(plan)
        complete_next_session(plan)  # 6 done: the last session
        reassessments_due()
        reassessments_due()
    assert reassessment_messages().count() == 2
    assert list(ReassessmentInvite.objects.values_list("after_sessions", "occasion")) == [
        (3, "reassessment"),
        (6, "discharge"),
    ]


def test_no_email_before_the_first_point(world):
    a_plan(world, completed=2, booked=4)

    reassessments_due()

    assert not reassessment_messages().exists()


def test_a_point_reached_weeks_ago_is_not_sent_out_of_the_blue(world):
    a_plan(world, completed=3, booked=0, last_end=NOW - timedelta(days=15))

    reassessments_due()

    assert not reassessment_messages().exists()


def test_an_ended_plan_gets_no_reassessment(world):
    plan = a_plan(world, completed=3, booked=3)
    plan.status = "ended"
    plan.save()

    reassessments_due()

    assert not reassessment_messages().exists()


# --- The signed link -----------------------------------------------------------------------------


def sent_link(world, **kwargs):
    plan = a_plan(world, **kwargs)
    reassessments_due()
    return plan, reassessment_messages().get().link


def form_data(**overrides):
    data = {
        "sbi-leg_pain": "3",
        "sbi-numbness_tingling": "2",
        "sbi-weakness": "1",
        "sbi-pain_sitting": "2",
        "psfs-name-0": "Sit through a work meeting",
        "psfs-score-0": "6",
        "pain-pain": "3",
    }
    data.update(overrides)
    return data


def test_the_link_opens_the_questionnaires_without_logging_in(client, world):
    _, link = sent_link(world, completed=3, booked=3)

    page = client.get(link)

    assert page.status_code == 200
    assert "After 3 sessions: how are you doing?" in page.content.decode()
    assert "Sciatica Bothersomeness Index" in page.content.decode()


def test_the_link_offers_the_activities_the_client_named_last_time(client, world):
    OutcomeResponse.objects.create(
        client=world.client,
        measure="psfs",
        answers=PSFS_ANSWERS,
        score=4,
        taken_at=NOW - timedelta(weeks=4),
        occasion="intake",
    )
    _, link = sent_link(world, completed=3, booked=3)

    page = client.get(link).content.decode()

    assert 'value="Sit through a work meeting"' in page
    assert 'value="Walk the dog"' in page


def test_answers_sent_from_the_link_are_the_plans_reassessment(client, world):
    plan, link = sent_link(world, completed=3, booked=3)

    response = client.post(link, form_data())

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    stored = {r.measure: r for r in OutcomeResponse.objects.all()}
    assert set(stored) == {"sbi", "psfs", "pain"}
    assert {(r.client, r.plan, r.occasion) for r in stored.values()} == {(world.client, plan, "reassessment")}
    assert (stored["sbi"].score, stored["psfs"].score, stored["pain"].score) == (8, 6, 3)
    assert ReassessmentInvite.objects.get().answered_at == NOW


def test_a_used_link_says_the_answers_are_in_and_stores_nothing_more(client, world):
    _, link = sent_link(world, completed=3, booked=3)
    client.post(link, form_data())

    again = client.post(link, form_data(**{"pain-pain": "9"}))

    assert again.status_code == 200
    assert "We already have your answers" in again.content.decode()
    assert OutcomeResponse.objects.count() == 3


def test_a_tampered_link_opens_nothing(client, world):
    plan, link = sent_link(world, completed=3, booked=3)
    tampered = link[:-4] + ("aaa" if not link.endswith("aaa/") else "bbb") + "/"
    # A token for an invite that was never sent, its signature made with another key.
    unsent = ReassessmentInvite(pk=ReassessmentInvite.objects.get().pk + 1, plan=plan)
    with override_settings(SECRET_KEY="someone-elses-key-" + "x" * 40):
        forged = reverse("outcomes:reassessment", args=[reassessment_token(unsent)])

    for url in (tampered, forged):
        response = client.get(url)
        assert response.status_code == 404
        assert "This link has expired" in response.content.decode()
    assert client.post(tampered, form_data()).status_code == 404
    assert not OutcomeResponse.objects.exists()


def test_an_expired_link_opens_nothing(client, world):
    _, link = sent_link(world, completed=3, booked=3)

    with time_machine.travel(NOW + timedelta(days=14, minutes=1), tick=False):
        response = client.post(link, form_data())

    assert response.status_code == 404
    assert "This link has expired" in response.content.decode()
    assert not OutcomeResponse.objects.exists()


def test_a_partly_answered_index_is_sent_back_with_the_question_to_finish(client, world):
    _, link = sent_link(world, completed=3, booked=3)

    response = client.post(link, form_data(**{"sbi-weakness": ""}))

    assert response.status_code == 200
    assert "Please answer all 4 questions, or leave them all blank." in response.content.decode()
    assert not OutcomeResponse.objects.exists()
    assert ReassessmentInvite.objects.get().answered_at is None


@pytest.mark.django_db(transaction=True)
def test_beat_runs_racing_on_several_workers_send_one_email_per_point(world):
    a_plan(world, completed=3, booked=3)
    workers = 4
    start_together = threading.Barrier(workers)
    queued: list[object] = [None] * workers

    def run(index: int) -> None:
        try:
            start_together.wait()
            queued[index] = reassessments_queue()
        except Exception as error:  # noqa: BLE001 - every outcome is inspected below
            queued[index] = error
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(queued) == [0, 0, 0, 1], queued
    assert reassessment_messages().count() == 1
    assert ReassessmentInvite.objects.count() == 1
