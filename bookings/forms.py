"""Forms for the client's booking pages: they read and check the request, the services decide."""

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, cast

from crispy_forms.bootstrap import InlineRadios, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.dateparse import parse_datetime

from clinic.validation import date_out_of_window
from intake.forms import YES, YES_NO_CHOICES, RedFlagCheckForm

from .cautions import NO_LIMITS, CautionLimits
from .models import Clinic, Therapist
from .selectors import services_bookable, therapists_bookable

ANYONE = "any"


def start_param(start: dt.datetime) -> str:
    """A slot's start as it travels in a URL: UTC, so no "+" needs escaping."""
    return start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


class DaySearchForm(forms.Form):
    """A therapist (or anyone) and a local date to list free times for; read from the query string."""

    therapist = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "Please choose a therapist from the list, or Anyone."},
    )
    date = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Please enter a date such as 2026-12-07."},
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        clinic: Clinic,
        today: dt.date,
        therapists: Iterable[Therapist],
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        self.last_day = today + dt.timedelta(days=clinic.booking_horizon_days)
        self.therapists_by_id = {str(each.pk): each for each in therapists}
        therapist_field = cast(forms.ChoiceField, self.fields["therapist"])
        therapist_field.choices = [(ANYONE, "Anyone")] + [
            (pk, each.name) for pk, each in self.therapists_by_id.items()
        ]
        self.fields["date"].widget.attrs.update(min=today.isoformat(), max=self.last_day.isoformat())
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("therapist", css_class="col-12 col-sm-6"),
                Column("date", css_class="col-12 col-sm-6"),
            ),
            StrictButton("Show free times", type="submit", css_class="btn-success"),
        )

    def clean_therapist(self) -> Therapist | None:
        return self.therapists_by_id.get(self.cleaned_data["therapist"])

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"] or self.today
        if not self.today <= day <= self.last_day:
            raise forms.ValidationError(
                f"Please choose a date between today and {self.last_day.day} {self.last_day:%B %Y}: "
                "that's as far ahead as we take bookings online."
            )
        return day


class SlotSearchForm(DaySearchForm):
    """The booking page: a service, a therapist or anyone, and a day."""

    service = forms.ModelChoiceField(
        queryset=services_bookable(),
        empty_label="Choose a treatment",
        label="Treatment",
        error_messages={
            "required": "Please choose a treatment.",
            "invalid_choice": "That treatment can't be booked online. Please choose one from the list.",
        },
    )
    field_order = ["service", "therapist", "date"]

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, limits: CautionLimits = NO_LIMITS, **kwargs: Any
    ) -> None:
        # Offer only what booking would accept: `limits` are the client's cautions (online only;
        # the front desk sees everything and may override with a reason).
        super().__init__(data, therapists=limits.therapists(therapists_bookable()), **kwargs)
        service_field = cast(forms.ModelChoiceField, self.fields["service"])
        service_field.queryset = limits.services(services_bookable())

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("service", css_class="col-12 col-md-5"),
                Column("therapist", css_class="col-12 col-sm-6 col-md-4"),
                Column("date", css_class="col-12 col-sm-6 col-md-3"),
            ),
            StrictButton("Show free times", type="submit", css_class="btn-success"),
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        service, therapist = cleaned.get("service"), cleaned.get("therapist")
        if service and therapist and service not in therapist.services.all():
            self.add_error(
                "therapist",
                f"{therapist.name} doesn't offer {service.name}. Choose Anyone or another therapist.",
            )
        return cleaned


class SlotChoiceForm(forms.Form):
    """A chosen slot, carried in hidden fields from the list of free times to the POST that books it."""

    submit_label = "Move my appointment"

    therapist = forms.ModelChoiceField(queryset=therapists_bookable(), widget=forms.HiddenInput)
    start = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_show_errors = False  # the page explains a bad slot in words of its own
        self.helper.layout = Layout(
            *self.fields, StrictButton(self.submit_label, type="submit", css_class="btn-success btn-lg w-100")
        )

    def clean_start(self) -> dt.datetime:
        try:
            start = parse_datetime(self.cleaned_data["start"])
        except ValueError:
            start = None
        if start is None or start.tzinfo is None:
            raise forms.ValidationError("That time isn't one we offered.")
        # Before converting: at the ends of the calendar the conversion itself overflows.
        too_far = date_out_of_window(start)
        if too_far:
            raise forms.ValidationError(too_far)
        return start.astimezone(dt.UTC)


class TherapistOrAnyoneField(forms.ModelChoiceField):
    """A therapist's id, or ANYONE, cleaned to None: the booking service then picks who."""

    def clean(self, value: Any) -> Therapist | None:
        return None if value == ANYONE else super().clean(value)


class BookingConfirmForm(SlotChoiceForm):
    submit_label = "Confirm booking"

    service = forms.ModelChoiceField(queryset=services_bookable(), widget=forms.HiddenInput)
    therapist = TherapistOrAnyoneField(queryset=therapists_bookable(), widget=forms.HiddenInput)
    field_order = ["service", "therapist", "start"]


class WeaknessWorseForm(forms.Form):
    """Asked on the day of a C7 client's appointment (spec §3: "ask at every visit whether the
    weakness is worse")."""

    weakness_worse = forms.TypedChoiceField(
        label="Is the weakness in your leg worse than before?",
        choices=YES_NO_CHOICES,
        coerce=lambda value: value == YES,
        widget=forms.RadioSelect,
        error_messages={"required": "Please answer yes or no."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # it sits inside the page's own form
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            InlineRadios("weakness_worse", template="intake/crispy/radioselect_inline.html")
        )


class PreVisitCheckForm:
    """The day-of check's questions: the re-check and, for a C7 client, whether the weakness is worse.

    Render both parts inside the page's own form; pass `report()` and `weakness_worse()` to
    bookings.previsit.pre_visit_check_record.
    """

    prefix = "check"

    def __init__(self, data: Mapping[str, Any] | None, *, asks_weakness: bool) -> None:
        self.red_flags = RedFlagCheckForm(data, prefix=self.prefix)
        self.weakness = WeaknessWorseForm(data, prefix=self.prefix) if asks_weakness else None

    def is_valid(self) -> bool:
        # A list, not a generator: validate both parts, so that every missing answer is shown.
        return all([form.is_valid() for form in (self.red_flags, self.weakness) if form is not None])

    def report(self) -> dict[str, object]:
        return self.red_flags.cleaned_red_flags()

    def weakness_worse(self) -> bool | None:
        return self.weakness.cleaned_data["weakness_worse"] if self.weakness is not None else None

    def add_service_errors(self, error: ValidationError) -> None:
        errors = dict(error.message_dict)
        weakness = errors.pop("weakness_worse", None)
        if weakness and self.weakness is not None:
            self.weakness.add_error("weakness_worse", weakness)
        elif weakness:
            errors[NON_FIELD_ERRORS] = [*errors.get(NON_FIELD_ERRORS, []), *weakness]
        if errors:
            self.red_flags.add_service_errors(ValidationError(errors))
