"""Every page and API answer carries the security headers; nothing personal may be cached."""

import pytest
from django.test import Client


def csp_directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_security_headers(response, *, cacheable=False):
    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]  # no 'unsafe-inline', no other origin
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["default-src"]
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert f"{feature}=()" in response["Permissions-Policy"]
    if cacheable:
        assert "no-store" not in response.get("Cache-Control", "")
    else:
        assert response["Cache-Control"] == "no-store"


@pytest.fixture
def browser(clinic):
    return Client()


@pytest.mark.parametrize("path", ["/", "/therapists/", "/accounts/login/", "/accounts/signup/"])
def test_a_public_page_carries_the_headers_and_is_not_stored(browser, path):
    response = browser.get(path)

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/appointments/", "/intake/"])
def test_a_client_page_carries_the_headers_and_is_not_stored(browser, client_user, path):
    browser.force_login(client_user)

    response = browser.get(path)

    assert response.status_code == 200
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/staff/schedule/", "/staff/clients/", "/staff/report/"])
def test_a_staff_page_carries_the_headers_and_is_not_stored(browser, front_desk_user, path):
    browser.force_login(front_desk_user)

    response = browser.get(path)

    assert response.status_code == 200
    assert_security_headers(response)


def test_the_day_of_check_reached_by_its_token_alone_is_not_stored(browser):
    response = browser.get("/visit-check/not-a-real-token/")

    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.parametrize("path", ["/api/v1/appointments", "/api/v1/intake/current", "/api/v1/auth/csrf"])
def test_an_api_answer_with_personal_data_is_not_stored(browser, client_user, path):
    browser.force_login(client_user)

    response = browser.get(path)

    assert response.status_code == 200
    assert_security_headers(response)


def test_api_errors_are_not_stored_either(browser):
    assert_security_headers(browser.get("/api/v1/appointments"))  # 401
    assert_security_headers(browser.get("/api/v1/no-such-thing"))  # 404


@pytest.mark.parametrize("path", ["/api/v1/services", "/api/v1/therapists", "/api/v1/openapi.json"])
def test_the_public_catalogue_may_be_cached(browser, path):
    response = browser.get(path)

    assert response.status_code == 200
    assert_security_headers(response, cacheable=True)


def test_the_api_docs_page_runs_under_the_policy_with_no_inline_script(browser):
    response = browser.get("/api/v1/docs")

    assert response.status_code == 200
    assert_security_headers(response)  # it carries a CSRF token
    page = response.content.decode()
    # Every script is a file of our own; the one inline block is JSON data, which never runs.
    assert page.count("<script") == page.count('<script src="/static/') + page.count(
        'type="application/json"'
    )
