"""A course of care for the demo client login (client@example.com): the treatment plan their
therapist wrote after their latest session, a package of sessions the desk sold them then with
its receipt, and the outcome questionnaires they filled in with their intake (the plan's baseline).

Written through the apps' own services, all or none, and only when the client has no plan yet.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from bookings.models import Appointment, Service, Therapist

# Upward on purpose, as in demo_history: the seed spans every app, like the product it shows.
from care.models import Package, PackagePurchase, TreatmentPlan
from care.services import package_sell, plan_write
from documents.receipts import receipt_for_package
from intake.models import Intake
from outcomes.models import OutcomeResponse
from outcomes.services import questionnaires_record

from .demo_cast import CAST

DEMO_CLIENT = "client@example.com"
# (sessions, price, days valid) of the package sold for the demo client's treatment.
PACKAGE = (6, "297.00", 120)
GOALS = ["Sit through a working day", "Drive for an hour without leg pain"]
SUMMARY = (
    "Six weekly sessions of piriformis and trigger point work on the left side, with the stretches "
    "you already do at home. We will fill in the questionnaires again after three sessions and at "
    "the end, to see how far sitting and driving have come."
)
# Filled in with the intake: pain 0-10, the Sciatica Bothersomeness Index, and the PSFS.
BASELINE: dict[str, object] = {
    "pain": {"pain": 7},
    "sbi": {"leg_pain": 4, "numbness_tingling": 1, "weakness": 0, "pain_sitting": 5},
    "psfs": {
        "activities": [
            {"name": "Sit through a working day", "score": 3},
            {"name": "Drive for an hour", "score": 4},
        ]
    },
}


@dataclass(frozen=True)
class CourseOfCare:
    """What was written for the demo client, for the command's summary; None parts were not."""

    client: User
    plan: TreatmentPlan | None = None
    purchase: PackagePurchase | None = None


def demo_care_seed(*, desk: User, now: datetime) -> CourseOfCare:
    """Write the demo client's course of care unless they have a plan already."""
    cast = next(each for each in CAST if each.email == DEMO_CLIENT)
    client = User.objects.get(email=DEMO_CLIENT)
    therapist = Therapist.objects.select_related("user").get(user__email=cast.therapist)
    service = Service.objects.get(name=cast.service[0], duration_minutes=cast.service[1])
    sessions, price, valid_days = PACKAGE
    package, _ = Package.objects.update_or_create(
        name=f"{sessions} x {service.name} ({service.duration_minutes} min)",
        service=service,
        defaults={"sessions": sessions, "price": Decimal(price), "valid_days": valid_days, "is_active": True},
    )
    if TreatmentPlan.objects.filter(client=client).exists():
        return CourseOfCare(client=client)
    latest = (
        Appointment.objects.filter(client=client, status=Appointment.Status.COMPLETED, end__lte=now)
        .order_by("-end")
        .first()
    )
    written_at = latest.end if latest is not None else now
    intake = Intake.objects.filter(client=client).order_by("created_at").first()
    filled_in = intake.created_at if intake is not None else written_at
    with transaction.atomic():
        questionnaires_record(
            client=client, answered=BASELINE, occasion=OutcomeResponse.Occasion.INTAKE, now=filled_in
        )
        plan = plan_write(
            client=client,
            therapist=therapist,
            service=service,
            goals=GOALS,
            sessions_planned=sessions,
            frequency=TreatmentPlan.Frequency.WEEKLY,
            reassess_every_sessions=3,
            summary=SUMMARY,
            by=therapist.user,
            now=written_at,
        )
        purchase = package_sell(
            client=client,
            package=package,
            payment_method=PackagePurchase.PaymentMethod.CARD,
            amount_paid=package.price,
            by=desk,
            now=written_at,
        )
        receipt_for_package(purchase=purchase, by=desk, now=written_at)
    return CourseOfCare(client=client, plan=plan, purchase=purchase)
