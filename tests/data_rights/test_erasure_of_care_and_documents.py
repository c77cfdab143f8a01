"""Erasure and the retention period for a course of care and its paperwork: files that name the
client go at once, the record's words at the end of the period, receipts stay as tax records."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from care.models import PackagePurchase, TreatmentPlan
from data_rights.models import Erasure
from data_rights.services import client_erase, clients_retention_apply
from documents.models import Letter, Receipt, Referral
from documents.services import Prescription, referral_record
from outcomes.links import reassessment_token
from outcomes.models import ReassessmentInvite
from tests.documents.conftest import pdf_text
from tests.factories import PASSWORD

from .conftest import LETTER_SUMMARY, NOW, PLAN_SUMMARY, REFERRAL_NOTES

ERASE = {"password": PASSWORD, "confirm": "on"}


def scan_file(referral: Referral, settings) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / referral.scan.name


def test_erasure_deletes_the_referral_scan_and_the_letter_pdf_and_keeps_what_they_record(
    care, signed_in, admin_client, settings, django_capture_on_commit_callbacks
):
    on_disk = scan_file(care.referral, settings)
    assert on_disk.read_bytes() == care.scan_bytes

    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post("/accounts/delete/", ERASE)

    assert not on_disk.exists()
    assert list(on_disk.parent.iterdir()) == []
    referral = Referral.objects.get(pk=care.referral.pk)
    assert (referral.scan.name, referral.scan_content_type) == ("", "")
    # The record of the referral stays for the retention period, as a doctor's clearance does.
    assert (referral.doctor_name, referral.notes, referral.sessions) == ("Dr Amara Lee", REFERRAL_NOTES, 6)
    letter = Letter.objects.get(pk=care.letter.pk)
    assert bytes(letter.pdf) == b""
    assert (letter.summary, letter.issued_at) == (LETTER_SUMMARY, NOW)
    # Nothing left for the staff to download.
    assert admin_client.get(reverse("documents:referral_scan", args=[referral.pk])).status_code == 404
    assert admin_client.get(reverse("documents:letter_download", args=[letter.pk])).status_code == 404
    assert admin_client.get(f"/api/v1/documents/letters/{letter.pk}.pdf").status_code == 404


def test_an_erasure_that_rolls_back_keeps_the_scan(
    care, history, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            client_erase(client=history.client, reason=Erasure.Reason.CLINIC)
            raise RuntimeError("something after the erasure failed")

    assert callbacks == []
    assert scan_file(care.referral, settings).read_bytes() == care.scan_bytes
    assert Referral.objects.get(pk=care.referral.pk).scan.name == care.referral.scan.name


def test_erasure_keeps_receipts_and_packages_naming_the_anonymised_account(
    care, history, signed_in, front_desk_user
):
    before = {receipt.pk: receipt.content for receipt in Receipt.objects.all()}

    signed_in.post("/accounts/delete/", ERASE)

    erased = User.objects.get(pk=history.client.pk)
    receipts = list(Receipt.objects.filter(client=erased).order_by("number"))
    assert [(r.display_number, str(r.amount)) for r in receipts] == [
        ("R-000001", "60.00"),
        ("R-000002", "65.00"),
        ("R-000003", "300.00"),
    ]
    for receipt in receipts:
        rows = receipt.content["rows"]
        assert ["Client", f"erased-{erased.pk}@invalid"] in rows
        # Only the name changed: the rest reads as issued.
        assert {**receipt.content, "rows": [row for row in rows if row[0] != "Client"]} == {
            **before[receipt.pk],
            "rows": [row for row in before[receipt.pk]["rows"] if row[0] != "Client"],
        }
    desk = Client()
    desk.force_login(front_desk_user)
    text = pdf_text(desk.get(reverse("documents:receipt_download", args=[receipts[1].pk])).content)
    assert "Sam Jones" not in text
    assert "£65.00" in text
    purchase = PackagePurchase.objects.get(pk=care.purchase.pk)
    assert (purchase.client_id, str(purchase.amount_paid), purchase.sessions) == (erased.pk, "300.00", 5)


def test_erasure_ends_the_active_plan_and_removes_the_goals_in_the_clients_words(care, signed_in):
    signed_in.post("/accounts/delete/", ERASE)

    plan = TreatmentPlan.objects.get(pk=care.plan.pk)
    assert (plan.status, plan.ended_at) == (TreatmentPlan.Status.ENDED, NOW)  # 1 of 6 sessions done
    assert plan.goals == []
    assert (plan.summary, plan.sessions_planned) == (PLAN_SUMMARY, 6)


def test_erasure_takes_the_plan_off_the_therapists_follow_up_list(care, signed_in, therapist):
    staff = Client()
    staff.force_login(therapist.user)
    plan_page = reverse("care:plan_detail", args=[care.plan.pk])
    assert plan_page in staff.get(reverse("care:plan_list")).content.decode()

    signed_in.post("/accounts/delete/", ERASE)

    assert plan_page not in staff.get(reverse("care:plan_list")).content.decode()


def test_a_reassessment_link_sent_before_the_erasure_stops_working(care, signed_in):
    invite = ReassessmentInvite.objects.create(
        plan=care.plan, after_sessions=1, occasion=ReassessmentInvite.Occasion.REASSESSMENT, created_at=NOW
    )
    link = reverse("outcomes:reassessment", args=[reassessment_token(invite)])
    assert Client().get(link).status_code == 200

    signed_in.post("/accounts/delete/", ERASE)

    assert Client().get(link).status_code == 404


def test_retention_removes_the_words_of_plans_referrals_and_letters_at_the_end_of_the_period(
    care, history, signed_in, frozen
):
    signed_in.post("/accounts/delete/", ERASE)
    receipts_kept = list(Receipt.objects.order_by("number").values_list("number", "amount", "content"))

    frozen.move_to(NOW + timedelta(days=7 * 365))
    assert clients_retention_apply().health_text_removed == 0
    assert TreatmentPlan.objects.get(pk=care.plan.pk).summary == PLAN_SUMMARY

    frozen.move_to(NOW + timedelta(days=8 * 366))
    assert clients_retention_apply().health_text_removed == 1

    plan = TreatmentPlan.objects.get(pk=care.plan.pk)
    assert (plan.summary, plan.goals, plan.sessions_planned, plan.status) == ("", [], 6, "ended")
    referral = Referral.objects.get(pk=care.referral.pk)
    assert (referral.doctor_name, referral.practice, referral.notes) == ("", "", "")
    assert (referral.written_on, referral.sessions, referral.period_weeks) == (care.referral.written_on, 6, 8)
    letter = Letter.objects.get(pk=care.letter.pk)
    assert (letter.addressed_to, letter.summary, bytes(letter.pdf)) == ("", "", b"")
    assert letter.issued_at == NOW
    # Tax records: as they were after the erasure.
    assert (
        list(Receipt.objects.order_by("number").values_list("number", "amount", "content")) == receipts_kept
    )
    assert PackagePurchase.objects.filter(pk=care.purchase.pk).exists()


def test_retention_anonymises_an_idle_client_and_deletes_their_scan(
    care, history, frozen, settings, django_capture_on_commit_callbacks
):
    on_disk = scan_file(care.referral, settings)
    frozen.move_to(NOW + timedelta(days=9 * 366))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=StringIO())

    assert Erasure.objects.get(client=history.client).reason == Erasure.Reason.RETENTION
    assert not on_disk.exists()
    assert Referral.objects.get(pk=care.referral.pk).notes == ""
    assert TreatmentPlan.objects.get(pk=care.plan.pk).summary == ""
    assert ["Client", f"erased-{history.client.pk}@invalid"] in Receipt.objects.get(number=3).content["rows"]


def test_a_referral_recorded_within_the_period_keeps_the_client_and_their_records(
    care, history, therapist, frozen
):
    frozen.move_to(NOW + timedelta(days=9 * 366))
    referral_record(
        client=history.client,
        doctor_name="Dr Amara Lee",
        written_on=timezone.localdate(),
        practice="",
        prescribes=Prescription(sessions=4, period_weeks=4),
        by=therapist.user,
        now=timezone.now(),
    )

    assert clients_retention_apply().anonymised == 0
    assert not Erasure.objects.exists()
    assert TreatmentPlan.objects.get(pk=care.plan.pk).summary == PLAN_SUMMARY
