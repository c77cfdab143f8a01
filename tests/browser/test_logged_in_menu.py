"""The signed-in menu: the email is text, and Log out a button far enough away not to be mis-tapped."""

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, ClinicFactory, UserFactory

from .test_therapist_writes_session_note import log_in

GAP = 16  # CSS pixels between the email and the Log out button, in either direction


def a_signed_in_client(page: Page) -> None:
    ClinicFactory()
    UserFactory(email="sam.jones@example.com", password=PASSWORD)
    log_in(page, "sam.jones@example.com", "/")


def test_on_a_phone_log_out_sits_below_the_email_as_a_full_size_button(page: Page):
    a_signed_in_client(page)
    page.get_by_role("button", name="Menu").click()

    email = page.get_by_text("sam.jones@example.com")
    log_out = page.get_by_role("button", name="Log out")
    expect(log_out).to_be_visible()
    email_box, button_box = email.bounding_box(), log_out.bounding_box()
    assert button_box["y"] - (email_box["y"] + email_box["height"]) >= GAP
    assert button_box["height"] >= 44

    log_out.click()

    expect(page.get_by_role("button", name="Menu")).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_on_a_wide_screen_log_out_sits_beside_the_email_with_room_between(page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    a_signed_in_client(page)

    email_box = page.get_by_text("sam.jones@example.com").bounding_box()
    button_box = page.get_by_role("button", name="Log out").bounding_box()

    assert button_box["x"] - (email_box["x"] + email_box["width"]) >= GAP
