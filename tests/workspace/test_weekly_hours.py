"""The weekly hours page as a browser posts it: every row, the blank ones included."""

from datetime import time
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from bookings.models import WorkingHours


class _PostedForms(HTMLParser):
    """What a browser would submit for each POST form of a page, left as it was rendered.

    Text and time inputs send their value (empty if none), checkboxes only when ticked, and a
    select its selected option or else its first one: a blank row's day is Monday.
    """

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("method", "").lower() == "post":
            self._fields = []
        if self._fields is None:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attributes:
                    self._fields.append((name, attributes.get("value") or "on"))
            elif kind not in ("submit", "button"):
                self._fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select:
            self._options.append((attributes.get("value") or "", "selected" in attributes))

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self._fields is not None:
            chosen = next((value for value, selected in self._options if selected), self._options[0][0])
            self._fields.append((self._select, chosen))
            self._select = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None


def hours_page_as_posted(response) -> dict[str, str]:
    parser = _PostedForms()
    parser.feed(response.content.decode())
    (hours_form,) = [dict(fields) for fields in parser.forms if "hours-TOTAL_FORMS" in dict(fields)]
    return hours_form


def week(therapist):
    return list(
        WorkingHours.objects.filter(therapist=therapist)
        .order_by("weekday", "start_time")
        .values_list("weekday", "start_time", "end_time")
    )


@pytest.fixture
def as_desk(client, front_desk_user):
    client.force_login(front_desk_user)
    return client


@pytest.fixture
def hours_url(therapist):
    return reverse("workspace:therapist_hours", args=[therapist.pk])


def test_saving_the_weekly_hours_unchanged_keeps_the_week(as_desk, therapist, hours_url):
    before = week(therapist)
    posted = hours_page_as_posted(as_desk.get(hours_url))
    assert posted["hours-12-weekday"] == "0" and posted["hours-12-start_time"] == ""  # a blank row

    response = as_desk.post(hours_url, posted)

    assert response.status_code == 302, response.context["formset"].errors
    assert week(therapist) == before
    assert len(before) == 12  # Monday to Saturday, two sets of hours a day


def test_filling_in_a_blank_row_adds_sunday_morning(as_desk, therapist, hours_url):
    posted = hours_page_as_posted(as_desk.get(hours_url))
    posted |= {"hours-12-weekday": "6", "hours-12-start_time": "10:00", "hours-12-end_time": "12:00"}

    response = as_desk.post(hours_url, posted)

    assert response.status_code == 302
    assert week(therapist)[-1] == (6, time(10), time(12))
    assert len(week(therapist)) == 13


def test_a_row_with_only_one_time_is_not_ignored(as_desk, therapist, hours_url):
    posted = hours_page_as_posted(as_desk.get(hours_url))
    posted |= {"hours-13-start_time": "19:00"}

    response = as_desk.post(hours_url, posted)

    assert response.status_code == 200
    assert response.context["formset"].forms[13].errors["end_time"] == ["This field is required."]
    assert len(week(therapist)) == 12


def test_removing_a_row_takes_those_hours_away(as_desk, therapist, hours_url):
    posted = hours_page_as_posted(as_desk.get(hours_url))
    posted["hours-1-DELETE"] = "on"  # Monday 14:00-18:00

    response = as_desk.post(hours_url, posted)

    assert response.status_code == 302
    assert (0, time(14), time(18)) not in week(therapist)
    assert len(week(therapist)) == 11
