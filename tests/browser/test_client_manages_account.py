"""A client, on a phone, updates their phone number and moves their account to a new email address."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import PASSWORD, ClinicFactory, UserFactory

from .test_therapist_writes_session_note import log_in


def open_my_account_from_the_menu(page: Page) -> None:
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()


def the_link_in_the_latest_email_to(address: str) -> str:
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return re.search(r"https?://[^/\s]+(/accounts/email/confirm/\S+/)", message.body).group(1)


@pytest.mark.browser
def test_a_client_changes_their_phone_and_email_address(page: Page):
    ClinicFactory()
    UserFactory(email="sam@example.com", first_name="Sam", last_name="Jones", phone="07700 900123")
    log_in(page, "sam@example.com", "/")

    open_my_account_from_the_menu(page)
    page.locator("#id_phone").fill("07700 900999")
    page.get_by_role("button", name="Save my details").click()
    expect(page.get_by_role("alert")).to_contain_text("Your details are saved.")

    page.get_by_role("link", name="Change my email address").click()
    page.locator("#id_new_email").fill("samira@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Send me a link to confirm it").click()
    expect(page.get_by_role("alert")).to_contain_text("sent a link to samira@example.org")
    expect(page.get_by_text("Waiting for you to open the link")).to_be_visible()
    assert User.objects.get(first_name="Sam").email == "sam@example.com"

    page.goto(the_link_in_the_latest_email_to("samira@example.org"))
    page.get_by_role("button", name="Use this address").click()

    expect(page.get_by_role("alert")).to_contain_text("Your email address is now samira@example.org.")
    sam = User.objects.get(first_name="Sam")
    assert (sam.email, sam.phone) == ("samira@example.org", "07700 900999")
    assert any(message.to == ["sam@example.com"] for message in mail.outbox)
