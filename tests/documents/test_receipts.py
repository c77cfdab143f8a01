"""Receipts: numbered in order, with what insurers ask for, never changed; a correction voids."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse

from bookings.models import Clinic
from care.services import package_sell
from documents.models import Receipt
from documents.receipts import receipt_correct, receipt_for_package
from notifications.models import Message
from tests.factories import AppointmentFactory, PackageFactory
from tests.workspace.data import NOW, THURSDAY_10

from .conftest import pay, pdf_text, record_referral


@pytest.fixture
def insurer_ready(world):
    Clinic.objects.filter(pk=1).update(name="Riverside Massage", address="12 River Lane\nLondon SE1 9AA")
    world.therapist.registration_number = "CNHC 012345"
    world.therapist.save()
    return world


def test_receipts_are_numbered_one_after_another_from_one(world, front_desk_user):
    second = AppointmentFactory(
        client=world.client,
        therapist=world.therapist,
        service=world.service,
        start=THURSDAY_10 - timedelta(days=7),
    )

    first_receipt = pay(world.appointment, by=front_desk_user)
    second_receipt = pay(second, by=front_desk_user)

    assert (first_receipt.display_number, second_receipt.display_number) == ("R-000001", "R-000002")


def test_a_receipt_that_fails_gives_its_number_back(world, front_desk_user):
    with pytest.raises(ValidationError):
        pay(world.appointment, by=front_desk_user, method="cheque")  # not a method the clinic takes

    assert pay(world.appointment, by=front_desk_user).number == 1


def test_a_session_receipt_carries_everything_an_insurer_asks_for(insurer_ready, front_desk_user, client):
    world = insurer_ready
    record_referral(world.client, by=world.therapist.user, written_on=(NOW - timedelta(days=10)).date())

    receipt = pay(world.appointment, by=front_desk_user, amount="65.00", method="card")
    client.force_login(front_desk_user)
    response = client.get(reverse("documents:receipt_download", args=[receipt.pk]))
    text = pdf_text(response.content)

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="receipt-R-000001.pdf"'
    for expected in (
        "Riverside Massage",
        "12 River Lane",
        "London SE1 9AA",
        "Receipt R-000001",
        "Maya Patel",
        "CNHC 012345",
        "Sam Jones",
        "3 December 2026, 10:00",  # the session's date, in the clinic's time
        "Deep tissue",
        "60 minutes",
        "£65.00",
        "Card",
        "Dr Amara Lee, Riverside Surgery, written 24 November 2026 (6 sessions over 8 weeks)",
    ):
        assert expected in text, expected


def test_a_receipt_names_no_referral_that_had_lapsed_on_the_days_session(insurer_ready, front_desk_user):
    world = insurer_ready
    record_referral(
        world.client, by=world.therapist.user, written_on=(NOW - timedelta(weeks=10)).date(), weeks=4
    )

    receipt = pay(world.appointment, by=front_desk_user)

    assert receipt.referral is None
    assert ["Referral", "none on record"] in receipt.content["rows"]


def test_a_receipt_reads_the_same_on_every_download_whatever_changes_after(
    insurer_ready, front_desk_user, client
):
    world = insurer_ready
    receipt = pay(world.appointment, by=front_desk_user)
    client.force_login(world.client)
    url = reverse("documents:receipt_download", args=[receipt.pk])
    before = client.get(url).content

    Clinic.objects.filter(pk=1).update(name="Renamed Clinic")
    world.therapist.registration_number = "NEW 999"
    world.therapist.save()
    world.service.name = "Renamed service"
    world.service.save()
    after = client.get(url).content

    assert after == before
    assert "Riverside Massage" in pdf_text(after)


def test_a_session_gets_one_receipt(world, front_desk_user):
    pay(world.appointment, by=front_desk_user)

    with pytest.raises(ValidationError, match="already has a receipt"):
        pay(world.appointment, by=front_desk_user)

    assert Receipt.objects.count() == 1


def test_the_database_refuses_a_second_original_receipt_for_a_session(world, front_desk_user):
    receipt = pay(world.appointment, by=front_desk_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Receipt.objects.create(
            number=99,
            client=world.client,
            appointment=world.appointment,
            amount=Decimal(1),
            payment_method="cash",
            content=receipt.content,
            issued_at=NOW,
        )


def test_a_cancelled_session_cannot_be_paid_for(world, front_desk_user):
    world.appointment.status = "cancelled"
    world.appointment.save()

    with pytest.raises(ValidationError, match="booked or completed"):
        pay(world.appointment, by=front_desk_user)


def test_a_correction_voids_the_old_receipt_which_is_kept_as_it_was(world, front_desk_user, client):
    old = pay(world.appointment, by=front_desk_user, amount="65.00", method="card")
    old_content = old.content

    correction = receipt_correct(
        receipt=old,
        amount=Decimal("55.00"),
        method="cash",
        reason="Loyalty discount missed",
        by=front_desk_user,
        now=NOW,
    )

    old.refresh_from_db()
    assert (correction.display_number, correction.void_of, correction.appointment) == (
        "R-000002",
        old,
        world.appointment,
    )
    assert (old.amount, old.payment_method, old.content) == (Decimal("65.00"), "card", old_content)
    assert old.is_void and not correction.is_void
    client.force_login(world.client)
    old_text = pdf_text(client.get(reverse("documents:receipt_download", args=[old.pk])).content)
    new_text = pdf_text(client.get(reverse("documents:receipt_download", args=[correction.pk])).content)
    assert "VOID: replaced by R-000002" in old_text and "£65.00" in old_text
    assert "VOID" not in new_text
    assert "£55.00" in new_text and "Cash" in new_text
    assert "This receipt replaces receipt R-000001, which is void." in new_text
    assert "Loyalty discount missed" in new_text


def test_a_void_receipt_cannot_be_corrected_again(world, front_desk_user):
    old = pay(world.appointment, by=front_desk_user)
    receipt_correct(
        receipt=old, amount=Decimal(50), method="cash", reason="Wrong amount", by=front_desk_user, now=NOW
    )

    with pytest.raises(ValidationError, match="already void"):
        receipt_correct(
            receipt=old, amount=Decimal(40), method="cash", reason="Again", by=front_desk_user, now=NOW
        )


def test_a_correction_needs_a_reason(world, front_desk_user):
    old = pay(world.appointment, by=front_desk_user)

    with pytest.raises(ValidationError) as refused:
        receipt_correct(
            receipt=old, amount=Decimal(50), method="cash", reason="  ", by=front_desk_user, now=NOW
        )

    assert "reason" in refused.value.message_dict


def test_the_admin_shows_receipts_but_changes_and_deletes_none(world, front_desk_user, clinic_admin):
    receipt = pay(world.appointment, by=front_desk_user)
    model_admin = admin.site._registry[Receipt]
    request = RequestFactory().get("/")
    request.user = clinic_admin

    assert model_admin.has_view_permission(request, receipt)
    assert not model_admin.has_change_permission(request, receipt)
    assert not model_admin.has_delete_permission(request, receipt)
    assert not model_admin.has_add_permission(request)


def test_the_desk_records_a_payment_from_the_documents_page(client, world, front_desk_user):
    client.force_login(front_desk_user)
    documents = client.get(reverse("documents:client", args=[world.client.pk])).content.decode()
    payment_url = reverse("documents:payment_new", args=[world.appointment.pk])
    assert payment_url in documents

    response = client.post(payment_url, {"amount": "65.00", "method": "card"})

    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert (receipt.amount, receipt.issued_by) == (Decimal("65.00"), front_desk_user)
    page = client.get(response["Location"]).content.decode()
    assert "Payment recorded: receipt R-000001 issued." in page
    assert payment_url not in page  # paid: no longer offered


def test_the_desk_voids_and_reissues_a_receipt_from_the_documents_page(client, world, front_desk_user):
    old = pay(world.appointment, by=front_desk_user)
    client.force_login(front_desk_user)

    response = client.post(
        reverse("documents:receipt_correct", args=[old.pk]),
        {"amount": "60.00", "method": "cash", "reason": "Wrong amount"},
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "VOID: replaced by R-000002" in page
    assert reverse("documents:receipt_correct", args=[old.pk]) not in page


def test_selling_a_package_at_the_desk_issues_its_receipt_in_the_same_step(client, world, front_desk_user):
    package = PackageFactory(service=world.service, name="Five deep tissue", price=Decimal("300.00"))
    client.force_login(front_desk_user)
    documents = client.get(reverse("documents:client", args=[world.client.pk])).content.decode()
    sell_url = reverse("care:package_sell", args=[world.client.pk])
    assert sell_url in documents

    response = client.post(
        sell_url, {"package": package.pk, "amount_paid": "", "payment_method": "bank_transfer"}
    )

    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.package_purchase.package == package
    assert "Receipt R-000001 issued." in client.get(response["Location"]).content.decode()
    text = pdf_text(client.get(reverse("documents:receipt_download", args=[receipt.pk])).content)
    for expected in (
        "Five deep tissue: 5 sessions",
        "Deep tissue",
        "60 minutes per session",
        "£300.00",
        "Bank transfer",
    ):
        assert expected in text, expected


def test_a_package_sale_whose_receipt_fails_is_not_recorded(world, front_desk_user):
    from care.models import PackagePurchase

    package = PackageFactory(service=world.service)
    purchase = package_sell(
        client=world.client,
        package=package,
        payment_method="card",
        amount_paid=Decimal(300),
        by=front_desk_user,
        now=NOW,
    )
    receipt_for_package(purchase=purchase, by=front_desk_user, now=NOW)

    with pytest.raises(ValidationError, match="already has a receipt"):
        receipt_for_package(purchase=purchase, by=front_desk_user, now=NOW)

    assert PackagePurchase.objects.count() == 1
    assert Receipt.objects.count() == 1


def test_a_session_paid_from_a_package_is_not_paid_for_again(world, front_desk_user):
    package = PackageFactory(service=world.service)
    purchase = package_sell(
        client=world.client,
        package=package,
        payment_method="card",
        amount_paid=Decimal(300),
        by=front_desk_user,
        now=NOW - timedelta(days=30),
    )
    receipt_for_package(purchase=purchase, by=front_desk_user, now=NOW - timedelta(days=30))

    with pytest.raises(ValidationError, match="paid from a package"):
        pay(world.appointment, by=front_desk_user)


def test_issuing_a_receipt_tells_the_client_a_document_is_ready(world, front_desk_user):
    receipt = pay(world.appointment, by=front_desk_user)

    message = Message.objects.get(kind=Message.Kind.DOCUMENT_READY)
    assert (message.recipient, message.link, message.dedupe_key) == (
        world.client,
        reverse("documents:mine"),
        f"document-ready:receipt:{receipt.pk}",
    )
