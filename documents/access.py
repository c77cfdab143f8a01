"""Who may see and do what with the documents, on top of privacy.access.

- Referrals and progress letters are clinical: the client themself, the client's therapists
  (a therapist who has seen or will see them) and admins. Never the front desk.
- A referral is recorded by whoever may read it on the staff side: the client's therapist or an
  admin, as they record a doctor's clearance (the desk passes the paper on; the scan may carry a
  diagnosis). The scan is sent only to those same people.
- A progress letter is written by the plan's own therapist, or an admin.
- Receipts are not clinical: the client, the front desk, admins and the client's therapists see
  them; the front desk and admins record payments, issue and correct receipts.

A refusal answers 404, as everywhere else (privacy.access).
"""

from django.db.models import QuerySet

from accounts.models import User
from accounts.roles import is_clinic_admin
from care.models import TreatmentPlan
from privacy.access import AnyUser, can_read_clinical, clients_visible_to, keeps_schedule, therapist_of


def is_the_client(user: AnyUser, client: User) -> bool:
    return user.is_authenticated and user.pk == client.pk


def sees_clinical_documents(user: AnyUser, client: User) -> bool:
    """Staff who may read the client's referrals and letters (and so record a referral)."""
    return can_read_clinical(user, client)


def writes_letter(user: AnyUser, plan: TreatmentPlan) -> bool:
    if is_clinic_admin(user):
        return True
    therapist = therapist_of(user)
    return (
        therapist is not None and therapist.pk == plan.therapist_id and can_read_clinical(user, plan.client)
    )


def letter_plans(user: AnyUser, client_plans: QuerySet[TreatmentPlan]) -> QuerySet[TreatmentPlan]:
    """writes_letter for each of one client's `client_plans`, in one query, for a `user` who
    sees_clinical_documents of that client (so its can_read_clinical is already answered)."""
    if is_clinic_admin(user):
        return client_plans
    therapist = therapist_of(user)
    return client_plans.filter(therapist=therapist) if therapist is not None else client_plans.none()


def sees_receipts(user: AnyUser, client: User) -> bool:
    return clients_visible_to(user).filter(pk=client.pk).exists()


def issues_receipts(user: AnyUser) -> bool:
    return keeps_schedule(user)
