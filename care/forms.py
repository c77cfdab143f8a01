"""Forms for plans, series and packages: they read and lay out; care.services decides."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime

from bookings.forms import start_param
from bookings.models import Service, Therapist
from clinic.forms import ServiceErrorsMixin, StorableTextMixin
from clinic.validation import date_near_today, date_out_of_window

from .models import Package, PackagePurchase, TreatmentPlan
from .series import SERIES_MAX_SESSIONS, SessionProposal
from .services import MAX_GOALS, MAX_SUMMARY_LENGTH

LEAVE_OUT = "leave-out"


class PlanForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    """A treatment plan, written by the therapist after an assessment (an admin picks the therapist)."""

    therapist = forms.ModelChoiceField(queryset=Therapist.objects.none(), empty_label=None)
    service = forms.ModelChoiceField(
        label="Treatment", queryset=Service.objects.none(), empty_label="Choose a treatment"
    )
    goals = forms.CharField(
        label="Goals, in the client's words",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"One per line, up to {MAX_GOALS}. For example: sit through a work meeting.",
    )
    sessions_planned = forms.IntegerField(
        label="Number of sessions", min_value=1, max_value=SERIES_MAX_SESSIONS, initial=6
    )
    frequency = forms.ChoiceField(
        choices=TreatmentPlan.Frequency.choices,
        initial=TreatmentPlan.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )
    reassess_every_sessions = forms.IntegerField(
        label="Re-assess every (sessions)",
        min_value=1,
        max_value=SERIES_MAX_SESSIONS,
        initial=4,
        help_text="The client fills in the outcome questionnaires then, and at the end.",
    )
    summary = forms.CharField(
        label="Summary for the client",
        max_length=MAX_SUMMARY_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain language: the client reads this on their plan page.",
    )

    def __init__(
        self,
        *args: Any,
        therapists: QuerySet[Therapist],
        services: QuerySet[Service],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        therapist_field = cast(forms.ModelChoiceField, self.fields["therapist"])
        therapist_field.queryset = therapists
        cast(forms.ModelChoiceField, self.fields["service"]).queryset = services
        whose = Row(Column("therapist", css_class="col-sm-6"), Column("service", css_class="col-sm-6"))
        if therapists.count() == 1:  # a therapist writes their own plan
            therapist_field.initial = therapists.first()
            therapist_field.widget = forms.HiddenInput()
            whose = Layout("therapist", "service")
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout(
            whose,
            "goals",
            Row(
                Column("sessions_planned", css_class="col-sm-6"),
                Column("reassess_every_sessions", css_class="col-sm-6"),
            ),
            "frequency",
            "summary",
        )
        self.helper.add_input(Submit("save", "Save the plan", css_class="btn-success"))

    def clean_goals(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["goals"].splitlines() if line.strip()]


class PackageSellForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    package = forms.ModelChoiceField(
        queryset=Package.objects.filter(is_active=True).select_related("service"),
        empty_label="Choose a package",
    )
    payment_method = forms.ChoiceField(
        label="Paid by", choices=PackagePurchase.PaymentMethod.choices, widget=forms.RadioSelect
    )
    amount_paid = forms.DecimalField(
        label="Amount paid",
        required=False,
        min_value=Decimal(0),
        max_digits=8,
        decimal_places=2,
        help_text="Leave empty for the package's price.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.layout = Layout("package", "payment_method", Field("amount_paid", inputmode="decimal"))
        self.helper.add_input(Submit("sell", "Record the sale", css_class="btn-success"))

    def amount(self) -> Decimal:
        paid = self.cleaned_data["amount_paid"]
        return paid if paid is not None else self.cleaned_data["package"].price


class FirstSessionDayForm(forms.Form):
    """The day to pick the first session's time on (read from the query string)."""

    date = forms.DateField(
        label="Day of the first session",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[date_near_today],
        error_messages={"invalid": "Please enter a date such as 2026-12-07."},
    )

    def __init__(self, *args: Any, today: dt.date, last_day: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today, self.last_day = today, last_day
        self.fields["date"].widget.attrs.update(min=today.isoformat(), max=last_day.isoformat())
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-flex flex-wrap gap-2 align-items-end"
        self.helper.layout = Layout(
            Field("date", wrapper_class="mb-0"),
            StrictButton("Show free times", type="submit", css_class="btn-success"),
        )

    def day(self) -> dt.date:
        chosen = self.cleaned_data.get("date") if self.is_valid() else None
        return chosen if chosen and self.today <= chosen <= self.last_day else self.today


def start_from_param(value: str | None) -> dt.datetime | None:
    """A start as bookings.forms.start_param writes it (UTC, in a URL); None if it is not one."""
    try:
        start = parse_datetime(value or "")
    except ValueError:
        return None
    if start is None or start.tzinfo is None or date_out_of_window(start):
        return None
    return start.astimezone(dt.UTC)


class SeriesChoiceForm(StorableTextMixin, forms.Form):
    """One choice per session of the preview: its proposed time if free, the nearest free times
    that week, or leaving it out (to book later). Nothing is pre-chosen for a session that is
    not free, so a changed time is always the client's own choice."""

    def __init__(
        self,
        *args: Any,
        proposals: Sequence[SessionProposal],
        tz: ZoneInfo,
        with_override: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for proposal in self.proposals:
            choices = []
            if proposal.is_free and proposal.proposed is not None:
                choices.append((start_param(proposal.proposed), f"{_when(proposal.proposed, tz)} (free)"))
            choices += [(start_param(slot.start), _when(slot.start, tz)) for slot in proposal.alternatives]
            choices.append((LEAVE_OUT, "Leave this session out for now"))
            initial = choices[0][0] if proposal.is_free else (LEAVE_OUT if len(choices) == 1 else None)
            self.fields[self.field_name(proposal.index)] = forms.ChoiceField(
                label=f"Session {proposal.index + 1}",
                choices=choices,
                initial=initial,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Choose one of the free times, or leave this session out.",
                    "invalid_choice": "That time is no longer free. Please choose another.",
                },
            )
        if with_override:
            self.fields["caution_override"] = forms.CharField(
                label="Why is this booking right for this client?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Only when the client's cautions rule the treatment out online. Kept with each appointment.",
            )

    @staticmethod
    def field_name(index: int) -> str:
        return f"session_{index}"

    def rows(self) -> list[tuple[SessionProposal, forms.BoundField]]:
        return [(proposal, self[self.field_name(proposal.index)]) for proposal in self.proposals]

    def starts(self) -> list[dt.datetime]:
        """The chosen times, in session order, leaving out the sessions left out."""
        chosen = [self.cleaned_data[self.field_name(p.index)] for p in self.proposals]
        return [start for value in chosen if value != LEAVE_OUT and (start := start_from_param(value))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        picked = [cleaned.get(self.field_name(p.index)) for p in self.proposals]
        if all(value == LEAVE_OUT for value in picked):
            raise forms.ValidationError("Choose a time for at least one session.")
        times = [value for value in picked if value and value != LEAVE_OUT]
        if len(set(times)) < len(times):
            raise forms.ValidationError(
                "Two sessions are at the same time. Please choose another for one of them."
            )
        return cleaned


def _when(start: dt.datetime, tz: ZoneInfo) -> str:
    local = start.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"
