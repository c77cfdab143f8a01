"""The progress letter: written by the plan's therapist from the plan, the sessions and the
outcome scores, kept as issued, downloadable by the client, printable by the staff who may read it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import Letter
from documents.services import letter_issue
from notifications.emails import link_email
from notifications.models import Message
from outcomes.services import questionnaires_record
from privacy.models import AccessRecord
from tests.workspace.data import NOW

from .conftest import pdf_text, record_referral

SUMMARY = (
    "Sam has responded well to deep tissue work on the left piriformis; I recommend three more sessions."
)


def pain(client, score, *, at, plan=None, occasion="intake"):
    return questionnaires_record(
        client=client, answered={"pain": {"pain": score}}, occasion=occasion, plan=plan, now=at
    )


@pytest.fixture
def scored_plan(world, plan):
    """The plan with a pain rating of 7 at intake and 3 at the last re-assessment."""
    pain(world.client, 7, at=plan.written_at - timedelta(days=1))
    pain(world.client, 3, at=NOW - timedelta(hours=1), plan=plan, occasion="reassessment")
    return plan


def issue(plan, *, by, summary=SUMMARY, addressed_to="Dr Amara Lee, Riverside Surgery"):
    return letter_issue(plan=plan, summary=summary, addressed_to=addressed_to, by=by, now=NOW)


def test_the_letter_says_the_plan_the_sessions_attended_the_scores_and_the_summary(world, scored_plan):
    world.therapist.registration_number = "CNHC 012345"
    world.therapist.save()
    record_referral(world.client, by=world.therapist.user, written_on=scored_plan.written_at.date())

    letter = issue(scored_plan, by=world.therapist.user)
    text = pdf_text(bytes(letter.pdf))

    for expected in (
        "To: Dr Amara Lee, Riverside Surgery",
        "Progress report: Sam Jones",
        "Thank you for your referral of 19 November 2026, which prescribed 6 sessions over 8 weeks.",
        "Deep tissue (60 minutes)",
        "Sessions planned 6",
        "Frequency Weekly",
        "Sit through a work meeting",
        "Walk the dog for 30 minutes",
        "Sessions attended 3 of 6 planned",
        "Dates attended 20 November 2026, 27 November 2026, 4 December 2026",
        "Next session 11 December 2026",
        "Pain rating (0-10)",
        "At the start 7 (18 November 2026)",
        "Now 3 (4 December 2026)",
        "Change 4 points better",
        "Meaningful change Yes (threshold: 2 points or 30%)",
        SUMMARY,
        "Maya Patel",
        "Registration number: CNHC 012345",
    ):
        assert expected in text, expected


def test_a_plan_without_scores_says_so(world, plan):
    text = pdf_text(bytes(issue(plan, by=world.therapist.user).pdf))

    assert "No outcome questionnaires have been completed yet." in text


def test_the_letter_stays_as_it_was_sent_when_the_record_changes(world, scored_plan, client):
    letter = issue(scored_plan, by=world.therapist.user)
    sent = bytes(letter.pdf)

    pain(world.client, 1, at=NOW, plan=scored_plan, occasion="reassessment")
    scored_plan.goals = ["Something else entirely"]
    scored_plan.save()
    client.force_login(world.client)
    downloaded = client.get(reverse("documents:letter_download", args=[letter.pk]))

    assert downloaded.content == sent
    assert "Sit through a work meeting" in pdf_text(downloaded.content)


def test_a_letter_needs_a_summary_and_someone_to_send_it_to(world, plan):
    with pytest.raises(ValidationError) as refused:
        issue(plan, by=world.therapist.user, summary="   ", addressed_to="")

    assert set(refused.value.message_dict) == {"summary", "addressed_to"}
    assert not Letter.objects.exists()


def test_the_plans_therapist_writes_the_letter_from_the_documents_page(client, world, scored_plan):
    record_referral(world.client, by=world.therapist.user)
    client.force_login(world.therapist.user)
    documents = client.get(reverse("documents:client", args=[world.client.pk])).content.decode()
    letter_url = reverse("documents:letter_new", args=[scored_plan.pk])
    assert letter_url in documents

    form = client.get(letter_url)
    assert form.context["form"].initial["addressed_to"] == "Dr Amara Lee, Riverside Surgery"
    assert "Pain rating (0-10): 7 → 3 (meaningful improvement)" in form.content.decode()
    response = client.post(letter_url, {"addressed_to": "Dr Amara Lee", "summary": SUMMARY})

    assert response.status_code == 302
    letter = Letter.objects.get()
    assert (letter.plan, letter.written_by, letter.client) == (
        scored_plan,
        world.therapist.user,
        world.client,
    )
    page = client.get(response["Location"]).content.decode()
    assert reverse("documents:letter_download", args=[letter.pk]) in page


def test_another_therapist_of_the_client_reads_the_letter_but_does_not_write_one_for_the_plan(
    client, world, plan
):
    from tests.factories import AppointmentFactory

    AppointmentFactory(
        client=world.client,
        therapist=world.other_therapist,
        service=world.service,
        start=NOW + timedelta(days=3),
    )
    letter = issue(plan, by=world.therapist.user)
    client.force_login(world.other_therapist.user)

    assert client.get(reverse("documents:letter_new", args=[plan.pk])).status_code == 404
    assert client.get(reverse("documents:letter_download", args=[letter.pk])).status_code == 200


def test_staff_printing_a_letter_is_on_record_and_the_clients_own_download_is_not(
    client, world, plan, clinic_admin
):
    letter = issue(plan, by=world.therapist.user)
    url = reverse("documents:letter_download", args=[letter.pk])

    client.force_login(world.client)
    own = client.get(url)
    client.force_login(clinic_admin)
    printed = client.get(url)

    assert own.status_code == printed.status_code == 200
    assert own["Content-Disposition"] == f'attachment; filename="{letter.file_name}"'
    assert own["X-Content-Type-Options"] == "nosniff"
    assert list(AccessRecord.objects.values_list("viewer", "client", "what")) == [
        (clinic_admin.pk, world.client.pk, "letter")
    ]


def test_the_document_ready_email_names_nothing_clinical(world, scored_plan, front_desk_user):
    from decimal import Decimal

    from bookings.selectors import clinic_get
    from documents.receipts import session_payment_record

    record_referral(world.client, by=world.therapist.user)
    letter = issue(scored_plan, by=world.therapist.user)
    session_payment_record(
        appointment=world.appointment, amount=Decimal("65.00"), method="card", by=front_desk_user, now=NOW
    )
    messages = Message.objects.filter(kind=Message.Kind.DOCUMENT_READY, recipient=world.client)
    assert sorted(m.dedupe_key.rsplit(":", 1)[0] for m in messages) == [
        "document-ready:letter",
        "document-ready:receipt",
    ]
    assert any(m.dedupe_key == f"document-ready:letter:{letter.pk}" for m in messages)

    for message in messages:
        email = link_email(message, clinic=clinic_get())
        everything = " ".join([email.subject, email.body, *(alt[0] for alt in email.alternatives)])
        assert "/documents/" in email.body  # the link, behind log-in
        for clinical in (
            "Dr Amara Lee",
            "Riverside Surgery",
            "radiculopathy",
            "piriformis",
            "Deep tissue",
            "Pain",
            "Sit through a work meeting",
            "progress",
            "letter",
            "receipt",
            "65.00",
            "Maya",
            ".pdf",
        ):
            assert clinical.lower() not in everything.lower(), clinical
