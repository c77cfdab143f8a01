from datetime import time, timedelta
from decimal import Decimal

import factory

from accounts.models import User
from bookings.models import Appointment, Clinic, Service, Therapist, WorkingHours

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    phone = "07700 900123"
    password = factory.django.Password(PASSWORD)


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ("id",)

    id = 1
    name = "Riverside Massage"
    phone = "020 7946 0000"
    time_zone = "Europe/London"
    slot_step_minutes = 15
    min_notice_minutes = 120
    booking_horizon_days = 60
    cancellation_window_hours = 24


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Deep tissue {n}")
    description = "Firm, slow pressure on the deeper layers of muscle."
    duration_minutes = 60
    buffer_after_minutes = 15
    price = Decimal("65.00")


class TherapistFactory(factory.django.DjangoModelFactory):
    """A therapist working Monday to Saturday, 09:00-13:00 and 14:00-18:00."""

    class Meta:
        model = Therapist
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    bio = "Sports and remedial massage."

    @factory.post_generation
    def services(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.services.add(*extracted)

    @factory.post_generation
    def weekly_hours(obj, create, extracted, **kwargs):  # noqa: N805
        if not create:
            return
        hours = extracted if extracted is not None else [(time(9), time(13)), (time(14), time(18))]
        WorkingHours.objects.bulk_create(
            WorkingHours(therapist=obj, weekday=day, start_time=start, end_time=end)
            for day in range(6)
            for start, end in hours
        )


class AppointmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Appointment

    client = factory.SubFactory(UserFactory)
    therapist = factory.SubFactory(TherapistFactory)
    service = factory.SubFactory(ServiceFactory)
    end = factory.LazyAttribute(lambda a: a.start + a.service.duration)
    blocked_until = factory.LazyAttribute(lambda a: a.end + a.service.buffer_after)


def completed_sessions(*, client, therapist, service, starts) -> int:
    """A history of sessions done, one at each of `starts`, in one insert; how many."""
    Appointment.objects.bulk_create(
        Appointment(
            client=client,
            therapist=therapist,
            service=service,
            start=start,
            end=start + service.duration,
            blocked_until=start + service.duration,
            status=Appointment.Status.COMPLETED,
        )
        for start in starts
    )
    return len(starts)


def clear_answers(**overrides):
    """Intake answers that raise no flag (a typical one-sided sciatica), with overrides."""
    answers = {
        "bladder_bowel_change": False,
        "saddle_numbness": False,
        "leg_weakness": "none",
        "both_legs": False,
        "recent_major_trauma": False,
        "cancer_history": False,
        "fever_or_unexplained_weight_loss": False,
        "iv_drug_use_or_immunosuppressed": False,
        "calf_swelling_redness_warmth": False,
        "known_blood_clot": False,
        "recent_fracture_unhealed": False,
        "anticoagulants": False,
        "pregnant": False,
        "osteoporosis": False,
        "recent_surgery_weeks": None,
        "age": 35,
        "pain_score": 5,
        "pain_radiates_below_knee": True,
        "numbness_tingling": True,
        "symptom_weeks": 3,
    }
    answers.update(overrides)
    return answers


def submit_intake(client, *, at=None, **overrides):
    """A submitted intake for `client` (at `at`, default now), through the same path as the pages."""
    from bookings.screening import intake_record

    return intake_record(
        client=client,
        answers=clear_answers(**overrides),
        consent=True,
        details={"pressure_preference": "medium", "positioning": "side-lying", "goals": "Sit through work"},
        now=at,
    )


def nothing_new(**overrides):
    """A re-check ("since your intake, have you had any of these?") that reports nothing new."""
    from intake.recheck import RECHECK_KEYS

    report = {key: False for key in RECHECK_KEYS}
    report |= {"leg_weakness": "none", "recent_surgery_weeks": None, "pain_score": 3}
    report.update(overrides)
    return report


def recheck_form_data(prefix="", **overrides):
    """The re-check form's POST data reporting nothing new, with overrides ("yes"/"no" strings)."""
    from intake.recheck import RECHECK_KEYS

    data = {key: "no" for key in RECHECK_KEYS if key != "recent_surgery_weeks"}
    data |= {"leg_weakness": "none", "recent_surgery": "no", "recent_surgery_weeks": "", "pain_score": "3"}
    data.update(overrides)
    return {f"{prefix}-{key}" if prefix else key: value for key, value in data.items()}


def answer_pre_visit_check(
    appointment, *, weakness_worse=None, answered_by=None, at=None, **report_overrides
):
    """The day-of check for `appointment`, answered as the session starts (or `at`); nothing new
    unless `report_overrides` say so. Through the real service, so a "yes" stops the session."""
    from bookings.previsit import pre_visit_check_record

    return pre_visit_check_record(
        appointment=appointment,
        report=nothing_new(**report_overrides),
        weakness_worse=weakness_worse,
        answered_by=answered_by,
        now=at or appointment.start,
    )


def _now():
    from django.utils import timezone

    return timezone.now()


class TreatmentPlanFactory(factory.django.DjangoModelFactory):
    """A weekly plan of 6 sessions, written now by its therapist (care)."""

    class Meta:
        model = "care.TreatmentPlan"

    client = factory.SubFactory(UserFactory)
    therapist = factory.SubFactory(TherapistFactory)
    service = factory.SubFactory(ServiceFactory)
    goals = factory.LazyFunction(lambda: ["Sit through a work meeting", "Walk the dog for 30 minutes"])
    sessions_planned = 6
    frequency = "weekly"
    reassess_every_sessions = 3
    summary = "Six weekly sessions to ease the pain down your left leg."
    written_by = factory.LazyAttribute(lambda plan: plan.therapist.user)
    written_at = factory.LazyFunction(lambda: _now())


class PackageFactory(factory.django.DjangoModelFactory):
    """Five sessions of a service, valid for 90 days (care)."""

    class Meta:
        model = "care.Package"

    name = factory.Sequence(lambda n: f"Five sessions {n}")
    service = factory.SubFactory(ServiceFactory)
    sessions = 5
    price = Decimal("300.00")
    valid_days = 90


def plan_with_sessions(
    *, client, therapist, service, completed, last_end, planned=6, booked=0, **plan_fields
):
    """A weekly plan whose series has `completed` sessions done, the last ending at `last_end`,
    and `booked` still to come."""
    from care.models import Series, SeriesAppointment

    first_start = last_end - service.duration - timedelta(weeks=max(completed - 1, 0))
    plan = TreatmentPlanFactory(
        client=client,
        therapist=therapist,
        service=service,
        sessions_planned=planned,
        written_at=first_start - timedelta(days=1),
        **plan_fields,
    )
    series = Series.objects.create(client=client, plan=plan, booked_by=client, booked_at=plan.written_at)
    for index in range(completed + booked):
        status = Appointment.Status.COMPLETED if index < completed else Appointment.Status.BOOKED
        appointment = AppointmentFactory(
            client=client,
            therapist=therapist,
            service=service,
            start=first_start + timedelta(weeks=index),
            status=status,
        )
        SeriesAppointment.objects.create(series=series, appointment=appointment)
    return plan
