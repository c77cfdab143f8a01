"""A client changes their name, phone, email address and password on /accounts/."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

NEW_PASSWORD = "a-brand-new-secret"


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


@pytest.fixture
def sam(db):
    return UserFactory(email="sam@example.com", first_name="Sam", last_name="Jones", phone="07700 900123")


@pytest.fixture
def signed_in(client, sam):
    client.force_login(sam)
    return client


@pytest.fixture
def ask_for_new_email(django_capture_on_commit_callbacks):
    def ask(client, new_email, password=PASSWORD):
        # The emails go once the request's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("email_change"), {"new_email": new_email, "password": password}, follow=True
            )

    return ask


@pytest.fixture
def open_link(django_capture_on_commit_callbacks):
    def confirm(client, link):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(link, follow=True)

    return confirm


def confirm_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/email/confirm/\S+/)", message.body).group(1)


def test_the_account_page_needs_a_login(client):
    response = client.get(reverse("account"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_menu_links_to_the_account_page(signed_in):
    assert f'href="{reverse("account")}"' in signed_in.get(reverse("home")).text


def test_a_client_changes_their_name_and_phone(signed_in, sam):
    response = signed_in.post(
        reverse("account"),
        {"first_name": " Samira ", "last_name": "Jones-Khan", "phone": "07700 900999"},
        follow=True,
    )

    assert "Your details are saved." in response.text
    sam.refresh_from_db()
    assert (sam.first_name, sam.last_name, sam.phone) == ("Samira", "Jones-Khan", "07700 900999")


def test_a_blank_name_is_refused_and_changes_nothing(signed_in, sam):
    response = signed_in.post(reverse("account"), {"first_name": "  ", "last_name": "Jones", "phone": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["first_name"]
    sam.refresh_from_db()
    assert sam.first_name == "Sam"


def test_an_email_change_happens_only_when_the_link_sent_to_the_new_address_is_opened(
    signed_in, sam, ask_for_new_email, open_link
):
    response = ask_for_new_email(signed_in, "Samira@Example.org")

    assert "sent a link to samira@example.org" in response.text
    (link_email,) = mail.outbox
    assert link_email.to == ["samira@example.org"]
    assert "samira@example.org" not in confirm_link(link_email)
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"

    confirm_page = signed_in.get(confirm_link(link_email))
    assert "Use this address" in confirm_page.text
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"

    done = open_link(signed_in, confirm_link(link_email))

    assert "Your email address is now samira@example.org." in done.text
    sam.refresh_from_db()
    assert sam.email == "samira@example.org"
    notice = mail.outbox[1]
    assert notice.to == ["sam@example.com"]
    assert "has been changed" in notice.body


def test_after_an_email_change_the_client_logs_in_with_the_new_address(client, signed_in, ask_for_new_email):
    ask_for_new_email(signed_in, "samira@example.org")
    signed_in.post(confirm_link(mail.outbox[0]))
    client.post(reverse("logout"))

    old = client.post(reverse("login"), {"username": "sam@example.com", "password": PASSWORD})
    new = client.post(reverse("login"), {"username": "samira@example.org", "password": PASSWORD})

    assert old.status_code == 200
    assert new.status_code == 302


def test_the_link_works_without_being_signed_in(client, signed_in, sam, ask_for_new_email):
    ask_for_new_email(signed_in, "samira@example.org")
    client.post(reverse("logout"))

    response = client.post(confirm_link(mail.outbox[0]), follow=True)

    assert "Your email address is now samira@example.org." in response.text
    sam.refresh_from_db()
    assert sam.email == "samira@example.org"


def test_an_email_change_needs_the_current_password(signed_in, sam, ask_for_new_email):
    response = ask_for_new_email(signed_in, "samira@example.org", password="not-my-password")

    assert response.context["form"].errors["password"] == ["That isn't your current password."]
    assert mail.outbox == []


def test_an_email_change_to_an_address_in_use_says_the_same_and_tells_its_owner_instead(
    signed_in, sam, ask_for_new_email
):
    UserFactory(email="kim@example.com")

    response = ask_for_new_email(signed_in, "kim@example.com")

    assert "sent a link to kim@example.com" in response.text
    (notice,) = mail.outbox
    assert notice.to == ["kim@example.com"]
    assert "/accounts/email/confirm/" not in notice.body
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"


def test_a_used_link_cannot_be_used_again(signed_in, sam, ask_for_new_email):
    ask_for_new_email(signed_in, "samira@example.org")
    link = confirm_link(mail.outbox[0])
    signed_in.post(link)

    again = signed_in.get(link)

    assert again.status_code == 404
    assert "This link has expired" in again.text


def test_only_the_newest_link_works(signed_in, sam, ask_for_new_email):
    ask_for_new_email(signed_in, "first@example.org")
    ask_for_new_email(signed_in, "second@example.org")
    first, second = (confirm_link(message) for message in mail.outbox)

    assert signed_in.post(first).status_code == 404
    signed_in.post(second)
    sam.refresh_from_db()
    assert sam.email == "second@example.org"


def test_the_link_lapses_after_a_day(signed_in, sam, ask_for_new_email):
    ask_for_new_email(signed_in, "samira@example.org")
    assert "Waiting for you to open the link" in signed_in.get(reverse("account")).text

    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        response = signed_in.post(confirm_link(mail.outbox[0]))
        account_page = signed_in.get(reverse("account"))

    assert response.status_code == 404
    assert "Waiting for you to open the link" not in account_page.text
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"


def test_an_address_taken_before_the_link_is_opened_stays_with_its_owner(signed_in, sam, ask_for_new_email):
    ask_for_new_email(signed_in, "samira@example.org")
    UserFactory(email="Samira@example.org")

    response = signed_in.post(confirm_link(mail.outbox[0]), follow=True)

    assert "That address now belongs to another account" in response.text
    sam.refresh_from_db()
    assert sam.email == "sam@example.com"


def test_a_client_changes_their_password_with_the_old_one(client, signed_in, sam):
    response = signed_in.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password has been changed" in response.text
    assert signed_in.get(reverse("account")).status_code == 200  # still signed in
    sam.refresh_from_db()
    assert sam.check_password(NEW_PASSWORD)


def test_guessing_the_old_password_counts_towards_the_login_limit(signed_in, sam):
    wrong = {"old_password": "not-my-password", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(5):
        assert signed_in.post(reverse("password_change"), wrong).status_code == 200

    refused = signed_in.post(reverse("password_change"), {**wrong, "old_password": PASSWORD})

    assert refused.status_code == 429
    sam.refresh_from_db()
    assert sam.check_password(PASSWORD)
    assert User.objects.get(pk=sam.pk).email == "sam@example.com"
