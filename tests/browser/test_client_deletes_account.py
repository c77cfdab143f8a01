"""A client downloads their data, then deletes their account, from their account page."""

import json

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import PASSWORD, ClinicFactory, UserFactory

from .test_therapist_writes_session_note import log_in


def test_a_client_downloads_their_data_then_deletes_their_account(page: Page):
    ClinicFactory()
    client = UserFactory(email="sam.jones@example.com", first_name="Sam", last_name="Jones")
    log_in(page, "sam.jones@example.com", "/accounts/")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    with open(download.value.path(), encoding="utf-8") as saved:
        assert json.load(saved)["account"]["email"] == "sam.jones@example.com"

    page.get_by_role("link", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Delete your account")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand").check()
    page.get_by_role("button", name="Delete my account").click()

    expect(page.get_by_text("Your account has been deleted")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert User.objects.get(pk=client.pk).email == f"erased-{client.pk}@invalid"
