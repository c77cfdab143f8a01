"""Therapists, front desk and admins land in their workspace after logging in, with a menu of their own."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ADMIN_GROUP, FRONT_DESK_GROUP
from tests.factories import PASSWORD, UserFactory

AGENDA = reverse("workspace:agenda")
DAY_SCHEDULE = reverse("workspace:schedule_day")


@pytest.fixture(autouse=True)
def _clinic(clinic):
    return clinic


def staff(email, group, **flags):
    user = UserFactory(email=email, **flags)
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def log_in(client, email, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": email, "password": PASSWORD}, follow=True)


def menu(response):
    """The links of the site menu, as (text, href)."""
    nav = response.text[response.text.index('id="main-nav"') : response.text.index("</nav>")]
    return [
        (re.sub(r"\s+", " ", text).strip(), href)
        for href, text in re.findall(r'<a class="nav-link[^"]*" href="([^"]*)">(.*?)</a>', nav, re.S)
    ]


def test_a_therapist_lands_on_their_agenda(client, therapist):
    response = log_in(client, therapist.user.email)

    assert response.redirect_chain[-1][0] == AGENDA
    assert "My agenda" in response.text


def test_the_front_desk_lands_on_the_day_schedule(client):
    staff("desk@example.com", FRONT_DESK_GROUP, is_staff=True)

    response = log_in(client, "desk@example.com")

    assert response.redirect_chain[-1][0] == DAY_SCHEDULE


@pytest.mark.parametrize("flags", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_an_admin_lands_on_the_day_schedule(client, flags):
    staff("admin@example.com", ADMIN_GROUP, **flags)

    response = log_in(client, "admin@example.com")

    assert response.redirect_chain[-1][0] == DAY_SCHEDULE


def test_a_client_still_lands_on_the_treatments(client):
    UserFactory(email="sam@example.com")

    response = log_in(client, "sam@example.com")

    assert response.redirect_chain == [(reverse("home"), 302)]


def test_next_still_wins_for_staff(client, therapist):
    response = log_in(client, therapist.user.email, next_url=reverse("workspace:client_list"))

    assert response.redirect_chain == [(reverse("workspace:client_list"), 302)]


def test_a_next_on_another_site_sends_staff_to_their_workspace_instead(client, therapist):
    response = log_in(client, therapist.user.email, next_url="https://evil.example/staff/")

    assert response.redirect_chain[0][0] == reverse("workspace:home")
    assert response.redirect_chain[-1][0] == AGENDA


def test_staff_already_logged_in_who_open_the_login_page_go_to_their_workspace(client):
    client.force_login(staff("desk@example.com", FRONT_DESK_GROUP, is_staff=True))

    response = client.get(reverse("login"), follow=True)

    assert response.redirect_chain[-1][0] == DAY_SCHEDULE


def test_a_therapists_menu_has_their_workspace_and_none_of_the_clients_links(client, therapist):
    client.force_login(therapist.user)

    links = menu(client.get(AGENDA))

    assert links == [
        ("My agenda", AGENDA),
        ("Clients", reverse("workspace:client_list")),
        ("Follow-ups", reverse("intake_blocked_list")),
    ]


def test_the_front_desks_menu_has_the_schedule_but_not_the_django_admin(client):
    client.force_login(staff("desk@example.com", FRONT_DESK_GROUP, is_staff=True))

    texts = [text for text, _ in menu(client.get(DAY_SCHEDULE))]

    assert texts == ["Day schedule", "Clients", "Follow-ups"]


def test_an_admins_menu_adds_the_django_admin(client):
    client.force_login(staff("admin@example.com", ADMIN_GROUP, is_staff=True))

    links = menu(client.get(reverse("home")))

    assert ("Django admin", reverse("admin:index")) in links
    assert "My appointments" not in dict(links)
    assert "My account" not in dict(links)
    assert "Services" not in dict(links)


def test_a_clients_menu_has_their_own_pages_and_no_staff_links(client):
    client.force_login(UserFactory(email="sam@example.com"))

    texts = [text for text, _ in menu(client.get(reverse("home")))]

    assert texts == ["Services", "Therapists", "My appointments", "My account"]
