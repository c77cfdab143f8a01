from datetime import datetime

from django.db.models import Exists, Model, OuterRef, QuerySet

from accounts.models import User
from bookings.models import Appointment
from care.models import PackagePurchase, TreatmentPlan
from documents.models import Letter, Receipt, Referral
from intake.models import Intake
from outcomes.models import OutcomeResponse

# Each record of a client's, by when it was made: one made since the cutoff keeps them active,
# so that no record is anonymised or loses its text before it is `record_retention_years` old.
_RECORDS: tuple[tuple[type[Model], str], ...] = (
    (Intake, "created_at"),
    (OutcomeResponse, "taken_at"),
    (TreatmentPlan, "written_at"),
    (Referral, "recorded_at"),
    (Letter, "issued_at"),
    (PackagePurchase, "sold_at"),
    (Receipt, "issued_at"),
)


def clients_inactive_since(cutoff: datetime) -> QuerySet[User]:
    """Clients (never staff) with no login, booking, appointment or other record since `cutoff`:
    an intake, questionnaire, treatment plan, referral, letter, package or receipt.

    A cancelled appointment counts from when it was booked, not from its date, so that the
    appointments cancelled by an erasure do not push the retention period months ahead.
    """
    appointments = Appointment.objects.filter(client=OuterRef("pk"))
    clients = (
        User.objects.filter(
            is_staff=False,
            is_superuser=False,
            therapist__isnull=True,
            groups__isnull=True,
            date_joined__lt=cutoff,
        )
        .exclude(last_login__gte=cutoff)
        .exclude(Exists(appointments.filter(created_at__gte=cutoff)))
        .exclude(Exists(appointments.filter(start__gte=cutoff).exclude(status=Appointment.Status.CANCELLED)))
    )
    for model, made_at in _RECORDS:
        made_since = model._default_manager.filter(client=OuterRef("pk"), **{f"{made_at}__gte": cutoff})
        clients = clients.exclude(Exists(made_since))
    return clients
