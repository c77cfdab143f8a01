"""Forms for the sciatica intake: they read and lay out the questions; intake.services decides.

Every question is worded as in triage.QUESTIONS, and every red-flag question is a required
radio button with no default, so a client cannot skip one (spec §2, R2: red flags "should be
explicitly looked for").
"""

from collections.abc import Mapping
from typing import Any, Literal, get_args

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from clinic.forms import ServiceErrorsMixin, StorableTextMixin
from clinic.validation import date_near_today

from .models import Clearance, Intake
from .recheck import RECHECK_KEYS, RECHECK_LEG_WEAKNESS_CHOICES, RECHECK_QUESTIONS
from .selectors import recheck_due
from .services import DETAIL_FIELDS
from .triage import LEG_WEAKNESS_CHOICES, QUESTIONS, YES_NO_KEYS
from .validation import RANGES

YES, NO = "yes", "no"
YES_NO_CHOICES = [(YES, "Yes"), (NO, "No")]
WorseWith = Literal["sitting", "standing", "bending", "walking"]
WORSE_WITH_CHOICES = [(value, value.capitalize()) for value in get_args(WorseWith)]
RED_FLAG_CHECK_HEADING = "Since your intake, have you had any of these?"

# The sections of the intake form, in the order the client meets them.
PAIN_KEYS = ("pain_radiates_below_knee", "numbness_tingling", "pain_score", "symptom_weeks")
WARNING_SIGN_KEYS = (
    "bladder_bowel_change",
    "saddle_numbness",
    "leg_weakness",
    "both_legs",
    "recent_major_trauma",
    "cancer_history",
    "fever_or_unexplained_weight_loss",
    "iv_drug_use_or_immunosuppressed",
)
MASSAGE_SAFETY_KEYS = (
    "known_blood_clot",
    "calf_swelling_redness_warmth",
    "recent_fracture_unhealed",
    "anticoagulants",
    "pregnant",
    "osteoporosis",
)


class Details(Div):
    """Layout object: fields behind a closed <details>, open when one of them has an error."""

    template = "intake/crispy/details.html"

    def __init__(self, summary: str, *fields: object, hint: str = "", **kwargs: object) -> None:
        super().__init__(*fields, **kwargs)
        self.summary, self.hint = summary, hint

    def render(
        self, form: forms.Form, context: Any, template_pack: str = TEMPLATE_PACK, **kwargs: Any
    ) -> str:
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        names = {pointer.name for pointer in self.get_field_names()}
        is_open = any(form.errors.get(name) for name in names)
        return render_to_string(
            self.template, {"summary": self.summary, "hint": self.hint, "fields": fields, "open": is_open}
        )


def _yes_or_no(value: str) -> bool:
    return value == YES


def answer_field(key: str) -> forms.Field:
    """The field for one intake question: required, worded as in triage.QUESTIONS, no default."""
    label = QUESTIONS[key]
    if key in YES_NO_KEYS:
        return forms.TypedChoiceField(
            label=label,
            choices=YES_NO_CHOICES,
            coerce=_yes_or_no,
            widget=forms.RadioSelect,
            error_messages={"required": "Please answer yes or no."},
        )
    if key == "leg_weakness":
        return forms.ChoiceField(
            label=label,
            choices=[(value.value, text) for value, text in LEG_WEAKNESS_CHOICES],
            widget=forms.RadioSelect,
            error_messages={"required": "Please choose one answer."},
        )
    low, high = RANGES[key]
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Please answer this question."},
    )


def _inline_radios(name: str) -> InlineRadios:
    # crispy-bootstrap5 hides the error message of inline radios; this template shows it.
    return InlineRadios(name, template="intake/crispy/radioselect_inline.html")


def _question(key: str) -> Field:
    # Yes and No side by side; leg weakness's three long answers one under another.
    return _inline_radios(key) if key in YES_NO_KEYS else Field(key)


class SurgeryQuestionMixin(forms.Form):
    """An operation asks two things, answered one at a time: whether, then how many whole weeks ago."""

    surgery_question = QUESTIONS["recent_surgery_weeks"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["recent_surgery"] = forms.TypedChoiceField(
            label=self.surgery_question,
            choices=YES_NO_CHOICES,
            coerce=_yes_or_no,
            widget=forms.RadioSelect,
            error_messages={"required": "Please answer yes or no."},
        )
        self.fields["recent_surgery_weeks"] = forms.IntegerField(
            label="How many whole weeks ago?",
            min_value=RANGES["recent_surgery_weeks"][0],
            required=False,
            help_text="Only if you answered yes. 0 if it was less than a week ago.",
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("recent_surgery") is False:
            cleaned["recent_surgery_weeks"] = None
        elif cleaned.get("recent_surgery") and cleaned.get("recent_surgery_weeks") is None:
            if "recent_surgery_weeks" not in self.errors:
                self.add_error(
                    "recent_surgery_weeks", "Please say how many whole weeks ago the operation was."
                )
        return cleaned


class IntakeForm(StorableTextMixin, ServiceErrorsMixin, SurgeryQuestionMixin, forms.Form):
    """The sciatica intake: the 20 questions of triage.QUESTIONS, the client's details and consent."""

    pain_location = forms.CharField(
        label="Where is the pain?",
        max_length=200,
        required=False,
        help_text="For example: left buttock and the back of the left thigh.",
    )
    worse_with = forms.MultipleChoiceField(
        label="What makes it worse?",
        choices=WORSE_WITH_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_history = forms.CharField(
        label="Other health problems, past or present",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    medications = forms.CharField(
        label="Medicines you take", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    pressure_preference = forms.ChoiceField(
        label="What pressure do you prefer?",
        choices=Intake.Pressure.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    positioning = forms.CharField(
        label="How do you like to lie?",
        max_length=200,
        required=False,
        help_text="For example side-lying, or with a pillow under your knees.",
    )
    areas_to_avoid = forms.CharField(label="Areas to avoid", max_length=200, required=False)
    goals = forms.CharField(
        label="What would you like the massage to help with?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label="I agree that my answers are shared with the clinic's therapists to keep my massage safe.",
        error_messages={"required": "Please confirm your consent to continue."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key in (*PAIN_KEYS, *WARNING_SIGN_KEYS, *MASSAGE_SAFETY_KEYS, "age"):
            self.fields[key] = answer_field(key)
        # In the order of the page, so that the list of mistakes at its top reads the same way.
        self.order_fields(
            [
                *PAIN_KEYS,
                *WARNING_SIGN_KEYS,
                *MASSAGE_SAFETY_KEYS,
                "recent_surgery",
                "recent_surgery_weeks",
                "age",
            ]
        )
        self.helper = FormHelper()
        self.helper.form_tag = False  # the template adds the form tag with `next`
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        # Every question on show is required; the optional details wait behind one <details>.
        return Layout(
            Fieldset("About your pain", *(_question(key) for key in PAIN_KEYS)),
            Fieldset(
                "Important safety questions",
                HTML(
                    '<p class="text-muted">Some of these questions are personal. Please answer every '
                    "one: they help us spot the rare problems that need a doctor rather than a "
                    "massage.</p>"
                ),
                *(_question(key) for key in WARNING_SIGN_KEYS),
            ),
            Fieldset(
                "Is massage safe for you?",
                *(_question(key) for key in MASSAGE_SAFETY_KEYS),
                _inline_radios("recent_surgery"),
                "recent_surgery_weeks",
                "age",
            ),
            Details(
                "Optional: tell your therapist more",
                Fieldset("More about your pain", "pain_location", InlineCheckboxes("worse_with")),
                Fieldset("Your health and medicines", "health_history", "medications"),
                Fieldset(
                    "How you like your massage",
                    _inline_radios("pressure_preference"),
                    "positioning",
                    "areas_to_avoid",
                ),
                Fieldset("Your goals", "goals"),
                hint="Where it hurts, your health and medicines, how you like your massage and what you "
                "hope for. You can skip this and tell your therapist at your visit.",
            ),
            Fieldset("Consent", "consent"),
        )

    def answers(self) -> dict[str, object]:
        """The 20 answers keyed as in triage.QUESTIONS, for intake.services.intake_submit."""
        return {key: self.cleaned_data[key] for key in QUESTIONS}

    def details(self) -> dict[str, object]:
        return {field: self.cleaned_data[field] for field in DETAIL_FIELDS}


class RedFlagCheckForm(ServiceErrorsMixin, SurgeryQuestionMixin, forms.Form):
    """The re-check before each booking or move, one required question per recheck.RECHECK_KEYS.

    Worded "since your intake, have you had any of these?" (recheck.RECHECK_QUESTIONS), so a
    "no" means "nothing new". Render it inside the page's form with
    ``{% include "intake/_red_flag_check.html" %}``; pass ``cleaned_red_flags()`` to
    bookings.services as ``red_flags=``.
    """

    surgery_question = RECHECK_QUESTIONS["recent_surgery_weeks"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key in RECHECK_KEYS:
            if key == "recent_surgery_weeks":
                continue
            field = answer_field(key)
            field.label = RECHECK_QUESTIONS[key]
            if key == "leg_weakness":
                field.choices = [(value.value, text) for value, text in RECHECK_LEG_WEAKNESS_CHOICES]  # type: ignore[attr-defined]
            self.fields[key] = field
        self.helper = FormHelper()
        self.helper.form_tag = False  # it sits inside the page's own form
        self.helper.disable_csrf = True
        questions = [
            _inline_radios("recent_surgery") if key == "recent_surgery_weeks" else _question(key)
            for key in RECHECK_KEYS
        ]
        surgery_at = RECHECK_KEYS.index("recent_surgery_weeks")
        questions.insert(surgery_at + 1, Field("recent_surgery_weeks"))
        self.helper.layout = Layout(Fieldset(RED_FLAG_CHECK_HEADING, *questions))

    def cleaned_red_flags(self) -> dict[str, object]:
        """The re-check keyed as in recheck.RECHECK_KEYS: yes/no as booleans, leg_weakness as a string."""
        return {key: self.cleaned_data[key] for key in RECHECK_KEYS}


def recheck_form_for(client: User, data: Mapping[str, Any] | None) -> RedFlagCheckForm | None:
    """The re-check form when one is due for `client`; None within 12 hours of their full intake."""
    return RedFlagCheckForm(data) if recheck_due(client, now=timezone.now()) else None


def recheck_answers(form: RedFlagCheckForm | None) -> dict[str, object] | None:
    """The answers for bookings.services' `red_flags`, once `form` is valid (None: not due)."""
    return form.cleaned_red_flags() if form is not None else None


class ClearanceForm(StorableTextMixin, ServiceErrorsMixin, forms.Form):
    """Staff lift a block: a doctor's clearance (from the doctor's letter) or an answer given in error."""

    kind = forms.ChoiceField(
        label="What happened?",
        choices=Clearance.Kind.choices,
        widget=forms.RadioSelect,
        initial=Clearance.Kind.DOCTOR,
    )
    doctor_name = forms.CharField(label="Doctor who saw the client", max_length=200, required=False)
    practice = forms.CharField(label="Their practice or hospital", max_length=200, required=False)
    cleared_on = forms.DateField(
        label="Date the doctor saw the client",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[date_near_today],
        error_messages={"invalid": "Please enter a date such as 2026-12-07."},
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the doctor said (for example areas to avoid), or what was answered in error "
        "and how you confirmed it with the client.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["cleared_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also holds the questions asked again
        self.helper.disable_csrf = True
        self.helper.layout = Layout(_inline_radios("kind"), "doctor_name", "practice", "cleared_on", "note")
