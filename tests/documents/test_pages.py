"""The client's "My documents" page and the links that lead to the documents pages."""

from django.urls import reverse

from documents.services import letter_issue
from tests.workspace.data import NOW

from .conftest import pay, record_referral


def test_my_documents_lists_the_clients_letters_and_receipts_to_download(
    client, world, plan, front_desk_user
):
    letter = letter_issue(
        plan=plan, summary="Going well.", addressed_to="Dr Lee", by=world.therapist.user, now=NOW
    )
    receipt = pay(world.appointment, by=front_desk_user)
    record_referral(world.client, by=world.therapist.user)
    client.force_login(world.client)

    page = client.get(reverse("documents:mine")).content.decode()

    assert reverse("documents:letter_download", args=[letter.pk]) in page
    assert "Download receipt R-000001 (PDF)" in page
    assert reverse("documents:receipt_download", args=[receipt.pk]) in page
    assert "Dr Amara Lee, Riverside Surgery" in page


def test_my_documents_shows_only_the_clients_own(client, world, front_desk_user):
    pay(world.other_client_appointment, by=front_desk_user)
    client.force_login(world.client)

    page = client.get(reverse("documents:mine")).content.decode()

    assert "R-000001" not in page
    assert "No receipts yet." in page


def test_my_appointments_and_my_account_link_to_my_documents(client, world):
    client.force_login(world.client)

    for name in ("my_appointments", "account"):
        assert reverse("documents:mine") in client.get(reverse(name)).content.decode(), name


def test_the_workspace_client_page_offers_each_role_only_its_documents_actions(
    client, world, front_desk_user
):
    client_page = reverse("workspace:client", args=[world.client.pk])
    referral_new = reverse("documents:referral_new", args=[world.client.pk])
    documents = reverse("documents:client", args=[world.client.pk])

    client.force_login(world.therapist.user)
    therapists = client.get(client_page).content.decode()
    client.force_login(front_desk_user)
    desks = client.get(client_page).content.decode()

    assert documents in therapists and documents in desks
    assert referral_new in therapists and referral_new not in desks
    assert "Record a payment" in desks and "Record a payment" not in therapists
