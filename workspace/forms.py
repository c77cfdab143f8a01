"""Forms for the staff workspace: they read and lay out; workspace.services and bookings.services decide."""

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.forms import BaseFormSet, formset_factory

from bookings.availability import local_datetime
from bookings.cautions import NO_LIMITS, CautionLimits
from bookings.models import Clinic, Weekday
from clinic.forms import ServiceErrorsMixin, StorableTextMixin, date_field
from intake.models import Intake

from .models import SessionNote

MAX_REPORT_DAYS = 366

LocalDate = date  # the `date` fields below hide the type's name inside their forms


def _time_widget() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class SessionNoteForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    client_reports = forms.CharField(
        label="What the client reports", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    findings = forms.CharField(
        label="What you found", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    techniques = forms.MultipleChoiceField(
        label="Techniques used",
        choices=SessionNote.Technique.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pressure = forms.ChoiceField(
        choices=SessionNote.Pressure.choices, required=False, widget=forms.RadioSelect
    )
    positioning = forms.CharField(
        max_length=200, required=False, help_text="For example side-lying, pillow between the knees."
    )
    areas_treated = forms.CharField(max_length=300, required=False)
    pain_before = forms.IntegerField(
        label="Pain before (0 to 10)",
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Ask the client for their pain from 0 to 10 before the session."},
    )
    pain_after = forms.IntegerField(
        label="Pain after (0 to 10)",
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Ask the client for their pain from 0 to 10 after the session."},
    )
    plan = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    home_care = forms.CharField(
        label="Home-care advice", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "session-note-form"
        self.helper.layout = Layout(
            "client_reports",
            "findings",
            InlineCheckboxes("techniques"),
            InlineRadios("pressure"),
            Row(Column("positioning", css_class="col-md-6"), Column("areas_treated", css_class="col-md-6")),
            Row(Column("pain_before", css_class="col-6"), Column("pain_after", css_class="col-6")),
            "plan",
            "home_care",
        )
        self.helper.add_input(Submit("save_note", "Save the session note", css_class="btn-success"))

    @classmethod
    def initial_for(
        cls, note: SessionNote | None, intake: Intake | None, *, limits: CautionLimits = NO_LIMITS
    ) -> dict[str, object]:
        """A saved note's content, or for a new note the client's stated preferences.

        A preference for firm pressure is not suggested when the client's cautions rule it out
        (C1, C3): the therapist chooses the pressure themselves.
        """
        if note is not None:
            return {name: getattr(note, name) for name in cls.base_fields}
        if intake is not None:
            pressure = intake.pressure_preference
            if pressure == SessionNote.Pressure.FIRM and limits.rules_out_firm_pressure:
                pressure = ""
            return {"pressure": pressure, "positioning": intake.positioning}
        return {}

    def content(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in self.base_fields}


class CautionOverrideForm(StorableTextMixin, forms.Form):
    """The desk's reason for booking what the client's cautions rule out online (kept on the
    appointment). Sits inside the booking page's own form."""

    caution_override = forms.CharField(
        label="Why is this booking right for this client?",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: their doctor has agreed, or the therapist will adapt the pressure. "
        "Kept with the appointment.",
        error_messages={"required": "Give the reason for booking it anyway, or choose something else."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_caution_override(self) -> str:
        reason = self.cleaned_data["caution_override"].strip()
        if not reason:
            raise forms.ValidationError(self.fields["caution_override"].error_messages["required"])
        return reason


class WorkingHoursForm(forms.Form):
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label="From", widget=_time_widget())
    end_time = forms.TimeField(label="To", widget=_time_widget())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("weekday", css_class="col-12 col-sm-4"),
                Column("start_time", css_class="col-5 col-sm-3"),
                Column("end_time", css_class="col-5 col-sm-3"),
                Column("DELETE", css_class="col-2 col-sm-2 pt-sm-4"),
            )
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The hours must end after they start.")
        return cleaned

    def has_changed(self) -> bool:
        # A row is filled in once it has a time: the day is a select, so a blank row still
        # posts one (Monday), and counting it would make the blank rows' times required.
        return any(self[name].value() not in (None, "") for name in ("start_time", "end_time"))


class BaseWorkingHoursFormSet(BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove"

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row may be left blank, including one whose times were cleared: it is ignored.
        return {**super().get_form_kwargs(index), "empty_permitted": True}

    def kept_forms(self) -> list[forms.Form]:
        return [
            form
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        seen: dict[int, list[tuple[time, time]]] = {}
        for form in self.kept_forms():
            weekday, start, end = (form.cleaned_data.get(k) for k in ("weekday", "start_time", "end_time"))
            if weekday is None or not start or not end or end <= start:
                continue
            for other_start, other_end in seen.get(weekday, []):
                if start < other_end and other_start < end:
                    form.add_error(
                        "start_time",
                        f"Overlaps {other_start:%H:%M}–{other_end:%H:%M} on {Weekday(weekday).label}.",
                    )
            seen.setdefault(weekday, []).append((start, end))

    def intervals(self) -> list[tuple[int, time, time]]:
        return [
            (form.cleaned_data["weekday"], form.cleaned_data["start_time"], form.cleaned_data["end_time"])
            for form in self.kept_forms()
        ]


WorkingHoursFormSet = cast(
    type[BaseWorkingHoursFormSet],
    formset_factory(WorkingHoursForm, formset=BaseWorkingHoursFormSet, extra=3, can_delete=True),
)


class TimeOffForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    """Time off in the clinic's local time; empty times mean whole days."""

    service_field_names = {"start": "start_date", "end": "end_date"}

    start_date = date_field("From (date)")
    start_time = forms.TimeField(label="From (time)", required=False, widget=_time_widget())
    end_date = date_field("Until (date)")
    end_time = forms.TimeField(
        label="Until (time)",
        required=False,
        widget=_time_widget(),
        help_text="Leave the times empty for whole days.",
    )
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(Column("start_date", css_class="col-7"), Column("start_time", css_class="col-5")),
            Row(Column("end_date", css_class="col-7"), Column("end_time", css_class="col-5")),
            "reason",
        )
        self.helper.add_input(Submit("add", "Add the time off", css_class="btn-success"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start_date, end_date = cleaned.get("start_date"), cleaned.get("end_date")
        if not start_date or not end_date:
            return cleaned
        start = self._instant(start_date, cleaned.get("start_time") or time.min, "start_time")
        end_time = cleaned.get("end_time")
        end = self._instant(
            end_date if end_time else end_date + timedelta(days=1), end_time or time.min, "end_time"
        )
        if start and end and end <= start:
            self.add_error("end_date", "The time off must end after it starts.")
        cleaned["start"], cleaned["end"] = start, end
        return cleaned

    def _instant(self, day: date, at: time, field: str) -> datetime | None:
        instant = local_datetime(day, at, self.clinic.tz)
        if instant is None:
            self.add_error(field, "The clocks skip that time on that day. Choose another time.")
        return instant


class ClosureForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    date = date_field()
    reason = forms.CharField(max_length=200, required=False, help_text="For example: bank holiday.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(Column("date", css_class="col-sm-5"), Column("reason", css_class="col-sm-7"))
        )
        self.helper.add_input(Submit("add", "Close the clinic on this day", css_class="btn-success"))


class ClientForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(help_text="If the client already has an account, you'll be taken to it.")
    phone = forms.CharField(max_length=32, required=False, widget=forms.TextInput(attrs={"type": "tel"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            Row(Column("first_name", css_class="col-sm-6"), Column("last_name", css_class="col-sm-6")),
            Row(Column("email", css_class="col-sm-7"), Column("phone", css_class="col-sm-5")),
        )
        self.helper.add_input(Submit("save", "Find or create the client", css_class="btn-success"))


class ClientSearchForm(StorableTextMixin, forms.Form):
    q = forms.CharField(label="Name, email or phone", max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-sm-9"),
                Column(
                    StrictButton("Search", type="submit", css_class="btn-success w-100"),
                    css_class="col-sm-3 pt-sm-4",
                ),
            )
        )


class DayForm(forms.Form):
    """A local date in the query string; defaults to `today`."""

    date = date_field(required=False)

    def __init__(self, data: Any = None, *, today: LocalDate, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-flex gap-2 align-items-end"
        self.helper.layout = Layout(
            "date", StrictButton("Show", type="submit", css_class="btn-outline-success mb-3")
        )

    def day(self) -> LocalDate:
        return (self.cleaned_data.get("date") if self.is_valid() else None) or self.today


class ReportPeriodForm(forms.Form):
    first = date_field("From")
    last = date_field("To (inclusive)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("first", css_class="col-6 col-md-4"),
                Column("last", css_class="col-6 col-md-4"),
                Column(
                    StrictButton("Show the report", type="submit", css_class="btn-success w-100"),
                    css_class="col-md-4 pt-md-4",
                ),
            )
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and last < first:
            self.add_error("last", "The period must end on or after its first day.")
        elif first and last and (last - first).days >= MAX_REPORT_DAYS:
            self.add_error("last", f"Choose a period of at most {MAX_REPORT_DAYS} days.")
        return cleaned
