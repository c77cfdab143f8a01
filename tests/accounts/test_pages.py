import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory

SIGNUP = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "Ada@Example.com",
    "phone": "07700 900456",
    "password": "a-long-enough-secret",
}


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


def test_signing_up_creates_the_account_logs_in_and_returns_to_next(client):
    next_url = "/book/confirm/?service=1&therapist=2&start=2026-12-07T10:00Z"

    response = client.post(f"{reverse('signup')}?next={next_url.replace('&', '%26')}", SIGNUP)

    assert response.status_code == 302
    assert response.url == next_url
    user = User.objects.get()
    assert (user.email, user.first_name, user.last_name, user.phone) == (
        "ada@example.com",
        "Ada",
        "Lovelace",
        "07700 900456",
    )
    assert client.get(reverse("home")).context["user"] == user


def test_signing_up_ignores_a_next_page_on_another_site(client):
    response = client.post(f"{reverse('signup')}?next=https://evil.example/", SIGNUP)

    assert response.status_code == 302
    assert response.url == reverse("home")


def test_signing_up_with_an_existing_email_says_the_same_as_a_new_one_and_emails_the_owner(client):
    owner = UserFactory(email="ada@example.com", first_name="Ada")

    response = client.post(reverse("signup"), SIGNUP)

    assert response.status_code == 200
    assert "Check your email to continue" in response.text
    assert "already" not in response.text
    assert User.objects.count() == 1
    assert "_auth_user_id" not in client.session
    (notice,) = mail.outbox
    assert notice.to == ["ada@example.com"]
    assert "You already have an account" in notice.body
    assert "/accounts/password-reset/" in notice.body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert owner.last_name != "Lovelace"


def test_a_weak_password_is_refused_the_same_way_whether_or_not_the_email_has_an_account(client):
    weak = {**SIGNUP, "password": "password12"}
    for_a_new_address = client.post(reverse("signup"), weak).context["form"].errors
    UserFactory(email="ada@example.com")

    for_an_address_in_use = client.post(reverse("signup"), weak).context["form"].errors

    assert for_an_address_in_use == for_a_new_address
    assert set(for_a_new_address) == {"password"}
    assert mail.outbox == []


def test_signing_up_with_a_short_password_shows_the_error_and_changes_nothing(client):
    response = client.post(reverse("signup"), {**SIGNUP, "password": "short1"})

    assert response.status_code == 200
    assert "too short" in " ".join(response.context["form"].errors["password"])
    assert not User.objects.exists()
    assert "_auth_user_id" not in client.session


def test_sign_up_asks_for_the_password_once_with_a_button_to_show_it(client):
    response = client.get(reverse("signup"))

    assert list(response.context["form"].fields) == ["first_name", "last_name", "email", "phone", "password"]
    assert response.text.count('type="password"') == 1
    assert "data-show-password" in response.text
    assert "/static/js/show-password.js" in response.text


def test_signing_up_on_the_way_to_a_booking_offers_log_in_first_keeping_next(client):
    next_url = "/book/confirm/?service=1&therapist=2&start=2026-12-07T10:00Z"

    response = client.get(reverse("signup"), {"next": next_url})

    top = response.text[: response.text.index('<div class="card')]
    assert "Already have an account?" in top
    assert f'href="{reverse("login")}?next=/book/confirm/%3Fservice%3D1%26therapist%3D2' in top


def test_a_sign_up_with_mistakes_lists_every_one_at_the_top_linking_to_its_field(client):
    response = client.post(reverse("signup"), {**SIGNUP, "first_name": "", "email": "not-an-email"})

    summary = response.text[response.text.index("error-summary") : response.text.index('<div class="card')]
    assert 'href="#id_first_name"' in summary
    assert 'href="#id_email"' in summary
    assert summary.count("<li>") == 2
    assert not User.objects.exists()


def test_logging_in_by_email_returns_to_next(client):
    user = UserFactory(email="sam@example.com")

    response = client.post(
        f"{reverse('login')}?next=/appointments/", {"username": "SAM@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == "/appointments/"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_page_labels_the_email_and_links_to_signup_keeping_next(client):
    response = client.get(f"{reverse('login')}?next=/book/confirm/%3Fservice%3D1%26start%3Dx")

    assert "Email" in response.text
    assert 'href="/accounts/signup/?next=/book/confirm/%3Fservice%3D1%26start%3Dx"' in response.text


def test_logging_in_with_a_wrong_password_is_refused(client):
    UserFactory(email="sam@example.com")

    response = client.post(reverse("login"), {"username": "sam@example.com", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_logging_out_ends_the_session(client):
    client.force_login(UserFactory())

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_emails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="sam@example.com")

    response = client.post(reverse("password_reset"), {"email": "sam@example.com"}, follow=True)

    assert "Check your email" in response.text
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.com"]
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret", "new_password2": "a-brand-new-secret"},
        follow=True,
    )
    assert "Your password has been changed" in done.text
    user.refresh_from_db()
    assert user.check_password("a-brand-new-secret")


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"}, follow=True)

    assert "Check your email" in response.text
    assert mail.outbox == []
