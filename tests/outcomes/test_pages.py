"""The questionnaires after the intake (optional, all three on one page), the offer on the
client's pages, and the scores on the workspace's client page."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from outcomes.models import OutcomeResponse
from privacy.models import AccessRecord
from tests.factories import UserFactory, submit_intake
from tests.workspace.data import NOW

START = "/outcomes/"


def all_three(**overrides):
    data = {
        "sbi-leg_pain": "5",
        "sbi-numbness_tingling": "4",
        "sbi-weakness": "2",
        "sbi-pain_sitting": "5",
        "psfs-name-0": "Sit through a work meeting",
        "psfs-score-0": "3",
        "psfs-name-1": "Walk the dog for 30 minutes",
        "psfs-score-1": "4",
        "pain-pain": "7",
    }
    data.update(overrides)
    return data


def test_a_client_fills_all_three_questionnaires_on_one_page_after_the_intake(client, client_user):
    client.force_login(client_user)

    page = client.get(START, {"next": "/book/"})
    sent = client.post(START, all_three(next="/book/"))

    assert page.status_code == 200
    assert page.content.decode().count("outcome-measure") == 3
    assert sent.status_code == 302 and sent["Location"] == "/book/"
    scores = dict(OutcomeResponse.objects.values_list("measure", "score"))
    assert scores == {"sbi": 16, "psfs": Decimal("3.50"), "pain": 7}
    assert set(OutcomeResponse.objects.values_list("occasion", "plan")) == {("intake", None)}


def test_the_questionnaires_can_be_skipped_and_each_one_left_blank(client, client_user):
    client.force_login(client_user)

    page = client.get(START, {"next": "/book/"}).content.decode()
    client.post(START, {"pain-pain": "6", "next": "/book/"})

    assert 'href="/book/">Skip for now</a>' in page
    assert list(OutcomeResponse.objects.values_list("measure", "score")) == [("pain", 6)]


def test_a_half_answered_index_comes_back_with_what_to_finish_and_nothing_is_stored(client, client_user):
    client.force_login(client_user)

    response = client.post(START, all_three(**{"sbi-weakness": ""}))

    assert response.status_code == 200
    assert "Please answer all 4 questions, or leave them all blank." in response.content.decode()
    assert not OutcomeResponse.objects.exists()


def test_an_activity_rated_but_not_named_is_a_field_error(client, client_user):
    client.force_login(client_user)

    response = client.post(START, all_three(**{"psfs-name-0": ""}))

    assert response.context["form"].errors["psfs-name-0"] == ["Please name it."]
    assert not OutcomeResponse.objects.exists()


def test_sending_the_page_empty_asks_for_one_questionnaire(client, client_user):
    client.force_login(client_user)

    response = client.post(START, {})

    assert "Please answer at least one questionnaire." in response.content.decode()


def test_after_the_intake_the_result_page_offers_the_questionnaires_until_they_are_answered(
    client, client_user
):
    client.force_login(client_user)

    before = client.get(reverse("intake_result")).content.decode()
    client.post(START, all_three())
    after = client.get(reverse("intake_result")).content.decode()

    assert "Fill in the questionnaires" in before
    assert "Fill in the questionnaires" not in after


def test_a_new_intake_offers_them_again(client, client_user):
    client.force_login(client_user)
    client.post(START, all_three())

    submit_intake(client_user, at=NOW + timedelta(minutes=5))

    assert "Fill in the questionnaires" in client.get(reverse("my_appointments")).content.decode()


def test_staff_have_no_questionnaires_of_their_own(client, front_desk_user):
    client.force_login(front_desk_user)

    assert client.get(START).status_code == 404


# --- The workspace's client page ---------------------------------------------------------------


def scores(client_user, *pairs):
    for days_ago, pain in pairs:
        OutcomeResponse.objects.create(
            client=client_user,
            measure="pain",
            answers={"pain": pain},
            score=pain,
            taken_at=NOW - timedelta(days=days_ago),
            occasion="intake" if days_ago == max(d for d, _ in pairs) else "reassessment",
        )


def test_the_therapist_sees_each_score_with_its_change_marked_against_the_threshold(client, world):
    scores(world.client, (30, 8), (20, 7), (10, 5))
    client.force_login(world.therapist.user)

    page = client.get(reverse("workspace:client", args=[world.client.pk])).content.decode()

    assert 'id="outcomes-heading"' in page
    assert 'id="outcome-chart-pain"' in page
    assert "1 better" in page and "not yet meaningful" in page
    assert "3 better" in page and "meaningful improvement" in page
    assert "Meaningful change: 2 points or 30%." in page
    assert "outcome_charts.js" in page
    assert AccessRecord.objects.filter(
        viewer=world.therapist.user, client=world.client, what=AccessRecord.What.OUTCOMES
    ).exists()


def test_the_sciatica_index_is_shown_without_a_verdict(client, world):
    for days_ago, total in ((20, 18), (5, 6)):
        OutcomeResponse.objects.create(
            client=world.client,
            measure="sbi",
            answers={"leg_pain": 3},
            score=total,
            taken_at=NOW - timedelta(days=days_ago),
            occasion="reassessment",
        )
    client.force_login(world.therapist.user)

    page = client.get(reverse("workspace:client", args=[world.client.pk])).content.decode()

    assert "12 better" in page
    assert "no published threshold" in page
    assert "meaningful improvement" not in page


def test_the_front_desk_sees_no_outcome_scores(client, world):
    scores(world.client, (30, 8), (10, 5))
    client.force_login(world.users["front_desk"])

    page = client.get(reverse("workspace:client", args=[world.client.pk]))

    assert page.status_code == 200
    assert 'id="outcomes-heading"' not in page.content.decode()
    assert not AccessRecord.objects.filter(what=AccessRecord.What.OUTCOMES).exists()


def test_a_client_with_no_questionnaires_shows_an_empty_outcomes_section_and_no_record(client, world):
    client.force_login(world.therapist.user)

    page = client.get(reverse("workspace:client", args=[world.client.pk])).content.decode()

    assert "No questionnaires answered yet." in page
    assert not AccessRecord.objects.filter(what=AccessRecord.What.OUTCOMES).exists()


def test_another_clients_scores_never_appear(client, world):
    other = UserFactory()
    OutcomeResponse.objects.create(
        client=other, measure="pain", answers={"pain": 9}, score=9, taken_at=NOW, occasion="intake"
    )
    client.force_login(world.therapist.user)

    page = client.get(reverse("workspace:client", args=[world.client.pk])).content.decode()

    assert "No questionnaires answered yet." in page
