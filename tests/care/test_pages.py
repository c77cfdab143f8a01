from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import strip_tags

from bookings.forms import start_param
from bookings.models import Appointment
from care.models import PackagePurchase, Series, TreatmentPlan
from care.services import package_sell, series_book
from privacy.models import AccessRecord
from tests.factories import (
    AppointmentFactory,
    PackageFactory,
    TreatmentPlanFactory,
    recheck_form_data,
    submit_intake,
)

from .conftest import MONDAY_10, NOW

PLAN_FORM = {
    "therapist": None,
    "service": None,
    "goals": "Sit through a work meeting\nWalk the dog for 30 minutes\n",
    "sessions_planned": "6",
    "frequency": "weekly",
    "reassess_every_sessions": "3",
    "summary": "Six weekly sessions to ease the pain down your left leg.",
}


def text(response):
    return " ".join(unescape(strip_tags(response.content.decode())).split())


def weekly(first, count):
    return [first + timedelta(weeks=k) for k in range(count)]


def book_url(plan, start=None, **query):
    url = reverse("care:my_plan_book", args=[plan.pk])
    params = {**({"start": start_param(start)} if start else {}), **query}
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def choices(response):
    """Each session's offered values, from the preview's form."""
    form = response.context["form"]
    return {proposal.index: [value for value, _ in field.field.choices] for proposal, field in form.rows()}


# --- The therapist ---------------------------------------------------------------------------


def test_a_therapist_writes_a_plan_from_the_clients_page(client, world):
    client.force_login(world.therapist.user)
    page = client.get(reverse("workspace:client", args=[world.client.pk]))
    assert "Write a treatment plan" in text(page)

    response = client.post(
        reverse("care:plan_new", args=[world.client.pk]),
        PLAN_FORM | {"therapist": world.therapist.pk, "service": world.service.pk},
    )

    plan = TreatmentPlan.objects.get()
    assert response["Location"] == reverse("care:plan_detail", args=[plan.pk])
    assert plan.goals == ["Sit through a work meeting", "Walk the dog for 30 minutes"]
    assert (plan.therapist, plan.written_by) == (world.therapist, world.therapist.user)
    detail = client.get(response["Location"])
    assert "Walk the dog for 30 minutes" in text(detail)
    assert AccessRecord.objects.filter(
        viewer=world.therapist.user, client=world.client, what="treatment_plan"
    ).exists()


def test_a_plan_with_missing_answers_is_shown_again_with_each_problem(client, world):
    client.force_login(world.therapist.user)

    response = client.post(
        reverse("care:plan_new", args=[world.client.pk]),
        PLAN_FORM
        | {"therapist": world.therapist.pk, "service": world.service.pk, "goals": " ", "summary": ""},
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"goals", "summary"}
    assert not TreatmentPlan.objects.exists()


def test_the_front_desk_reads_a_plan_without_its_goals_or_summary(client, world, plan):
    client.force_login(world.users["front_desk"])

    page = text(client.get(reverse("care:plan_detail", args=[plan.pk])))

    assert "6 × Deep tissue with Maya Patel" in page
    assert "Walk the dog" not in page and "ease the pain" not in page
    assert not AccessRecord.objects.exists()


def test_the_plan_list_shows_how_far_along_each_client_is_and_who_to_follow_up(client, world, plan):
    series = series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=[MONDAY_10],
        plan=plan,
        booked_by=plan.client,
    )
    series.appointments.update(status="completed")

    with time_machine.travel(MONDAY_10 + timedelta(days=20), tick=False):
        client.force_login(world.therapist.user)
        response = client.get(reverse("care:plan_list"))

    assert [s.plan for s in response.context["standings"]] == [plan]
    assert [s.plan for s in response.context["follow_up"]] == [plan]
    assert "1 of 6" in text(response)
    client.force_login(world.other_therapist.user)
    assert client.get(reverse("care:plan_list")).context["standings"] == []


def test_the_workspace_nav_links_to_clients_on_a_plan(client, world):
    client.force_login(world.therapist.user)

    page = client.get(reverse("workspace:agenda")).content.decode()

    assert reverse("care:plan_list") in page


def test_ending_a_plan_early(client, world, plan):
    client.force_login(world.therapist.user)

    response = client.post(reverse("care:plan_end", args=[plan.pk]))

    plan.refresh_from_db()
    assert response.status_code == 302 and plan.status == "ended"


# --- The client ------------------------------------------------------------------------------


def test_my_appointments_links_to_my_treatment_plan_once_there_is_one(
    client, client_user, clinic, therapist, service
):
    client.force_login(client_user)
    assert "My treatment plan" not in text(client.get(reverse("my_appointments")))

    TreatmentPlanFactory(client=client_user, therapist=therapist, service=service)

    assert "My treatment plan" in text(client.get(reverse("my_appointments")))


def test_my_treatment_plan_shows_the_summary_goals_progress_next_session_and_packages(
    client, plan, front_desk_user
):
    series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=weekly(MONDAY_10, 2),
        plan=plan,
        booked_by=plan.client,
    )
    package_sell(
        client=plan.client,
        package=PackageFactory(service=plan.service, name="Five deep tissue", sessions=5),
        payment_method="cash",
        amount_paid=Decimal("300"),
        by=front_desk_user,
    )
    client.force_login(plan.client)

    page = text(client.get(reverse("care:my_plan")))

    assert "Six weekly sessions to ease the pain" in page
    assert "Sit through a work meeting" in page
    assert "0 of 6 sessions done, 2 booked ahead" in page
    assert "Next session: Monday 7 December, 10:00" in page
    assert "Five deep tissue" in page and "3 of 5 left" in page
    assert "Book my sessions" in page


def test_booking_my_sessions_starts_by_choosing_the_first_sessions_time(client, plan):
    client.force_login(plan.client)

    response = client.get(book_url(plan, date="2026-12-07"))

    first = next(slot for slot in response.context["first_times"] if slot.start == MONDAY_10)
    assert first.url == book_url(plan, MONDAY_10, sessions=6)
    assert f'href="{first.url.replace("&", "&amp;")}"' in response.content.decode()


def test_the_client_books_every_session_of_the_plan_in_one_step(client, plan):
    client.force_login(plan.client)
    preview = client.get(book_url(plan, MONDAY_10))
    form = preview.context["form"]
    assert len(form.proposals) == 6 and all(p.is_free for p in form.proposals)

    response = client.post(
        book_url(plan),
        {"start": start_param(MONDAY_10), "sessions": "6"}
        | {f"session_{i}": start_param(s) for i, s in enumerate(weekly(MONDAY_10, 6))},
    )

    assert response["Location"] == reverse("care:my_plan")
    assert sorted(Appointment.objects.values_list("start", flat=True)) == weekly(MONDAY_10, 6)
    assert Series.objects.get().plan == plan


def test_a_taken_week_offers_that_weeks_free_times_and_books_the_one_chosen(client, plan, therapist, service):
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=1))
    client.force_login(plan.client)

    preview = client.get(book_url(plan, MONDAY_10, sessions=3))
    offered = choices(preview)
    assert "Not free" in text(preview)
    instead = MONDAY_10 + timedelta(weeks=1, hours=1, minutes=15)  # 11:15, after the other's buffer
    assert start_param(instead) in offered[1]
    post = {"start": start_param(MONDAY_10), "sessions": "3"}
    post |= {"session_0": start_param(MONDAY_10), "session_2": start_param(MONDAY_10 + timedelta(weeks=2))}

    unchosen = client.post(book_url(plan), post)
    assert "session_1" in unchosen.context["form"].errors
    assert not Series.objects.exists()

    client.post(book_url(plan), post | {"session_1": start_param(instead)})

    mine = Appointment.objects.filter(client=plan.client).order_by("start")
    assert [a.start for a in mine] == [MONDAY_10, instead, MONDAY_10 + timedelta(weeks=2)]


def test_a_session_can_be_left_out_to_book_later(client, plan):
    client.force_login(plan.client)

    client.post(
        book_url(plan),
        {
            "start": start_param(MONDAY_10),
            "sessions": "2",
            "session_0": start_param(MONDAY_10),
            "session_1": "leave-out",
        },
    )

    assert list(Appointment.objects.values_list("start", flat=True)) == [MONDAY_10]


def test_a_time_taken_between_preview_and_confirm_books_nothing_and_says_which_session(
    client, plan, therapist, service
):
    client.force_login(plan.client)
    post = {"start": start_param(MONDAY_10), "sessions": "3"}
    post |= {f"session_{i}": start_param(s) for i, s in enumerate(weekly(MONDAY_10, 3))}
    # Someone books session 3's time in the meantime. The form reads the times afresh, so it
    # says so on that session; the booking service is the last word either way.
    AppointmentFactory(therapist=therapist, service=service, start=MONDAY_10 + timedelta(weeks=2))

    response = client.post(book_url(plan), post)

    assert response.status_code == 200
    assert "no longer free" in text(response)
    assert "session_2" in response.context["form"].errors
    assert not Appointment.objects.filter(client=plan.client).exists()


def test_a_client_without_a_current_intake_is_sent_to_fill_it_in_and_back(client, plan):
    with time_machine.travel(NOW + timedelta(days=100), tick=False):  # the intake is out of date
        client.force_login(plan.client)
        response = client.get(book_url(plan))

    assert response["Location"].startswith(reverse("intake_start") + "?next=")


def test_a_red_flagged_client_cannot_book_a_series_and_is_shown_the_advice(client, plan):
    submit_intake(plan.client, saddle_numbness=True)
    client.force_login(plan.client)

    page = client.get(book_url(plan, MONDAY_10))
    posted = client.post(
        book_url(plan),
        {"start": start_param(MONDAY_10), "sessions": "1", "session_0": start_param(MONDAY_10)},
    )

    assert page["Location"] == reverse("intake_result")
    assert posted["Location"] == reverse("intake_result")
    assert not Appointment.objects.filter(client=plan.client).exists()
    assert "Book my sessions" not in text(client.get(reverse("care:my_plan")))


def test_the_recheck_is_asked_once_for_the_whole_series(client, plan):
    client.force_login(plan.client)
    post = {"start": start_param(MONDAY_10), "sessions": "2"}
    post |= {f"session_{i}": start_param(s) for i, s in enumerate(weekly(MONDAY_10, 2))}

    with time_machine.travel(NOW + timedelta(days=1), tick=False):
        unanswered = client.post(book_url(plan), post)
        assert unanswered.context["red_flag_form"].errors
        assert not Appointment.objects.exists()

        client.post(book_url(plan), post | recheck_form_data())

    assert Appointment.objects.filter(client=plan.client).count() == 2


def test_the_client_cancels_the_rest_of_a_series(client, plan):
    series = series_book(
        client=plan.client,
        therapist=plan.therapist,
        service=plan.service,
        starts=weekly(MONDAY_10, 3),
        plan=plan,
        booked_by=plan.client,
    )
    client.force_login(plan.client)

    confirm = client.get(reverse("care:my_series_cancel", args=[series.pk]))
    response = client.post(reverse("care:my_series_cancel", args=[series.pk]))

    assert "Cancel these sessions" in text(confirm)
    assert response["Location"] == reverse("care:my_plan")
    assert set(Appointment.objects.values_list("status", flat=True)) == {"cancelled"}


# --- The desk --------------------------------------------------------------------------------


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


def test_the_desk_books_a_plans_series_for_the_client(as_desk, plan, front_desk_user):
    url = reverse("care:plan_book", args=[plan.pk])
    preview = as_desk.get(url, {"start": start_param(MONDAY_10), "sessions": "4"})
    assert len(preview.context["form"].proposals) == 4

    response = as_desk.post(
        url,
        {"start": start_param(MONDAY_10), "sessions": "4"}
        | {f"session_{i}": start_param(s) for i, s in enumerate(weekly(MONDAY_10, 4))},
    )

    assert response["Location"] == reverse("care:plan_detail", args=[plan.pk])
    assert set(Appointment.objects.values_list("booked_by", flat=True)) == {front_desk_user.pk}
    assert Appointment.objects.count() == 4


def test_the_desk_sells_a_package_and_sees_the_sessions_left_on_the_client_page(
    as_desk, client_user, service, therapist, front_desk_user
):
    package = PackageFactory(service=service, name="Five deep tissue", sessions=5, price=Decimal("300.00"))
    AppointmentFactory(client=client_user, therapist=therapist, service=service, start=MONDAY_10)

    response = as_desk.post(
        reverse("care:package_sell", args=[client_user.pk]),
        {"package": package.pk, "payment_method": "card", "amount_paid": ""},
    )

    purchase = PackagePurchase.objects.get()
    assert response["Location"] == reverse("workspace:client", args=[client_user.pk])
    assert (purchase.amount_paid, purchase.sold_by) == (Decimal("300.00"), front_desk_user)
    page = text(as_desk.get(reverse("workspace:client", args=[client_user.pk])))
    assert "Five deep tissue" in page and "4 of 5 left" in page


def test_selling_without_saying_how_the_client_paid_is_refused_on_that_field(as_desk, client_user, service):
    package = PackageFactory(service=service)

    response = as_desk.post(reverse("care:package_sell", args=[client_user.pk]), {"package": package.pk})

    assert set(response.context["form"].errors) == {"payment_method"}
    assert not PackagePurchase.objects.exists()


def test_the_desk_cannot_book_a_series_for_a_red_flagged_client(as_desk, plan):
    submit_intake(plan.client, saddle_numbness=True)

    response = as_desk.post(
        reverse("care:plan_book", args=[plan.pk]),
        {"start": start_param(MONDAY_10), "sessions": "1", "session_0": start_param(MONDAY_10)},
    )

    assert response.status_code == 200
    assert response.context["refused_outcome"] == "EMERGENCY"
    assert "Not booked" in text(response)
    assert not Appointment.objects.filter(client=plan.client, status="booked").exists()


def test_the_desk_books_a_series_its_cautions_rule_out_online_only_with_a_reason(as_desk, plan, service):
    service.pressure = "deep"
    service.save()
    submit_intake(plan.client, anticoagulants=True)  # C1: no deep pressure online
    url = reverse("care:plan_book", args=[plan.pk])
    post = {"start": start_param(MONDAY_10), "sessions": "1", "session_0": start_param(MONDAY_10)}

    refused = as_desk.post(url, post)
    booked = as_desk.post(url, post | {"caution_override": "Their GP agreed; Maya will keep it gentle."})

    assert "caution_override" in refused.context["form"].errors
    assert booked.status_code == 302
    assert Appointment.objects.get().caution_override == "Their GP agreed; Maya will keep it gentle."


def test_a_client_whose_cautions_rule_out_the_plans_treatment_is_told_before_choosing_times(
    client, plan, service
):
    service.pressure = "deep"
    service.save()
    submit_intake(plan.client, anticoagulants=True)
    client.force_login(plan.client)

    response = client.get(book_url(plan))

    assert response.context["ruled_out"] and "blood thinners" in response.context["ruled_out"]
    assert "first_times" not in response.context
