"""Form posts for the workspace tests."""

from datetime import UTC, datetime

from intake.triage import QUESTIONS, YES_NO_KEYS
from tests.factories import clear_answers

# Friday morning; London is on UTC in December.
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
THURSDAY_10 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # yesterday: the session has happened
MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def note_data(**overrides):
    """A complete session note as the form posts it."""
    data = {
        "client_reports": "Pain down the left leg after long drives.",
        "findings": "Tight left piriformis and glutes.",
        "techniques": ["trigger_point", "piriformis"],
        "pressure": "medium",
        "positioning": "side-lying",
        "areas_treated": "Left glutes, lower back",
        "pain_before": "6",
        "pain_after": "3",
        "plan": "Weekly for three weeks.",
        "home_care": "Piriformis stretch twice a day.",
    }
    data.update(overrides)
    return data


def note_content(**overrides):
    """A complete session note as workspace.services.session_note_save takes it."""
    content = note_data(pain_before=6, pain_after=3)
    content.update(overrides)
    return content


def intake_form_data(**overrides):
    """intake.forms.IntakeForm's POST for clear answers (with `overrides` to the answers)."""
    answers = clear_answers(**overrides)
    data = {}
    for key in QUESTIONS:
        value = answers[key]
        if key in YES_NO_KEYS:
            data[key] = "yes" if value else "no"
        elif key == "recent_surgery_weeks":
            data["recent_surgery"] = "no" if value is None else "yes"
            data[key] = "" if value is None else str(value)
        else:
            data[key] = str(value)
    data |= {"pain_location": "Left buttock", "pressure_preference": "light", "positioning": "side-lying"}
    data |= {"goals": "Walk the dog again", "consent": "on"}
    return data


def red_flag_data(**answers):
    """intake.forms.RedFlagCheckForm's POST: nothing new unless `answers` say so."""
    from tests.factories import recheck_form_data

    return recheck_form_data(**answers)
