"""`manage.py check --deploy` warns about a SITE_URL that clients' email links can't use."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from clinic.checks import site_url_check


def warning_ids(site_url: str, settings) -> list[str]:
    settings.SITE_URL = site_url
    return [message.id for message in site_url_check()]


@pytest.mark.parametrize(
    "site_url",
    [
        "http://127.0.0.1:8000",
        "https://localhost",
        "https://[::1]:8443/",
        "https://0.0.0.0",
        "https://app.localhost",
    ],
)
def test_a_site_url_on_this_machine_is_a_deploy_warning(site_url, settings):
    assert "clinic.W001" in warning_ids(site_url, settings)


def test_a_plain_http_site_url_is_a_deploy_warning(settings):
    assert warning_ids("http://book.riverside.example", settings) == ["clinic.W002"]


def test_an_https_site_url_on_the_clinics_host_passes(settings):
    assert warning_ids("https://book.riverside.example", settings) == []


def test_check_deploy_reports_the_make_run_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    output = StringIO()

    with pytest.raises(SystemCheckError) as failed:
        # --fail-level WARNING turns the report into an exception that carries every message.
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=output, stderr=output)

    assert "clinic.W001" in str(failed.value)
    assert "clinic.W002" in str(failed.value)


def test_check_deploy_says_nothing_of_an_https_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = "https://book.riverside.example"
    output = StringIO()

    try:
        call_command("check", "--deploy", "--fail-level", "WARNING", stdout=output, stderr=output)
    except SystemCheckError as error:  # other deploy settings may warn; SITE_URL must not
        output.write(str(error))

    assert "clinic.W00" not in output.getvalue()
