from django.core import signing
from django.test import Client

from notifications.links import unsubscribe_url
from notifications.models import TipsOptOut


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


def test_opening_the_link_asks_first_and_unsubscribes_nobody(clinic, client_user, client):
    response = client.get(path_of(unsubscribe_url(client_user)))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop the tips" in page and 'method="post"' in page
    assert "client@example.com" in page
    assert not TipsOptOut.objects.exists()


def test_the_confirm_button_unsubscribes_without_signing_in(clinic, client_user):
    browser = Client(enforce_csrf_checks=True)
    url = path_of(unsubscribe_url(client_user))
    browser.get(url)

    response = browser.post(url, {"csrfmiddlewaretoken": browser.cookies["csrftoken"].value})

    assert response.status_code == 200
    assert "You won't get any more tips" in response.content.decode()
    assert TipsOptOut.objects.filter(user=client_user).count() == 1
    browser.post(url)  # a second click (or the mail system's one-click) changes nothing
    assert TipsOptOut.objects.filter(user=client_user).count() == 1


def test_a_tampered_link_unsubscribes_nobody(clinic, client_user, client):
    forged = signing.dumps({"u": client_user.pk}, salt="something else")

    response = client.post(f"/notifications/unsubscribe/{forged}/")

    assert response.status_code == 404
    assert not TipsOptOut.objects.exists()
