"""Forms of the documents pages: they read and lay out; documents.services and .receipts decide."""

from decimal import Decimal
from typing import Any

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from clinic.forms import ServiceErrorsMixin, StorableTextMixin, date_field

from .models import Receipt
from .receipts import MAX_AMOUNT
from .services import SUMMARY_MAX, Prescription

SCAN_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def _amount_field(label: str = "Amount paid (£)") -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), max_value=MAX_AMOUNT, max_digits=7, decimal_places=2
    )


def _method_field() -> forms.ChoiceField:
    return forms.ChoiceField(label="Paid by", choices=Receipt.PaymentMethod.choices, widget=forms.RadioSelect)


class ReferralForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    doctor_name = forms.CharField(label="Doctor", max_length=120, help_text="For example Dr A. Lee.")
    practice = forms.CharField(label="Practice or hospital", max_length=200, required=False)
    written_on = date_field("Date written")
    sessions = forms.IntegerField(label="Sessions prescribed", min_value=1, max_value=100)
    period_weeks = forms.IntegerField(
        label="Over how many weeks",
        min_value=1,
        max_value=104,
        required=False,
        help_text="Or leave empty and give the date it runs until.",
    )
    valid_until = date_field("Or until", required=False)
    notes = forms.CharField(
        label="What it says",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The reason for referral and anything the doctor asks for.",
    )
    scan = forms.FileField(
        label="Scan or photo of the referral",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
        help_text="Optional. A PDF, PNG or JPEG of at most 5 MB.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_enctype = "multipart/form-data"
        self.helper.layout = Layout(
            Row(Column("doctor_name", css_class="col-md-6"), Column("practice", css_class="col-md-6")),
            Row(Column("written_on", css_class="col-md-4"), Column("sessions", css_class="col-md-4")),
            Row(Column("period_weeks", css_class="col-md-4"), Column("valid_until", css_class="col-md-4")),
            "notes",
            "scan",
            Submit("save", "Record the referral", css_class="btn-success"),
        )

    def prescription(self) -> Prescription:
        data = self.cleaned_data
        return Prescription(
            sessions=data["sessions"], period_weeks=data["period_weeks"], valid_until=data["valid_until"]
        )


class LetterForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    addressed_to = forms.CharField(
        label="To", max_length=200, help_text="The client's doctor and practice, as on their referral."
    )
    summary = forms.CharField(
        label="Your summary for the doctor",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="How the client has responded, what you recommend next. The plan, sessions and "
        "outcome scores are added from the record.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "addressed_to", "summary", Submit("issue", "Issue the letter", css_class="btn-success")
        )


class PaymentForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    amount = _amount_field()
    method = _method_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "amount",
            InlineRadios("method"),
            Submit("issue", "Record payment and issue receipt", css_class="btn-success"),
        )


class CorrectionForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    amount = _amount_field("Correct amount paid (£)")
    method = _method_field()
    reason = forms.CharField(label="Why it is corrected", max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "amount",
            InlineRadios("method"),
            "reason",
            Submit("issue", "Void it and issue the correction", css_class="btn-danger"),
        )
