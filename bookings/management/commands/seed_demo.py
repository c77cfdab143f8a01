"""Create a demo clinic that looks alive on first login: services, three therapists with weekly
hours, demo logins, and about twenty clients with intakes, past sessions and bookings to come
(bookings/management/demo_cast.py), all dated from today in the clinic's time zone, and a course
of care (plan, package, baseline questionnaires) for the demo client (demo_care.py).

Running it again adds nothing: the catalogue is updated in place, a therapist's weekly hours
are written only when they have none, and each client's story and the course of care only where
missing.
"""

from datetime import time
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADMIN_GROUP, FRONT_DESK_GROUP
from bookings.models import Clinic, Service, Therapist, WorkingHours

from ..demo_care import demo_care_seed
from ..demo_history import demo_clients_seed, demo_password_hash

DEMO_PASSWORD = "massage-demo-2026"

# What each treatment is for, how it feels and who it is not offered to online, in the clinic's
# own words (facts from clinics' articles on massage for sciatica; the pressure limits are the
# red-flag spec's C1 and C3, applied by bookings.cautions). The card shows how long it lasts.
NOT_FOR_C1_C3 = "Not offered online if you take blood thinners or have osteoporosis."
SERVICES = [
    (
        "Deep tissue massage",
        60,
        "65.00",
        "Slow strokes with deep pressure, working into the deeper layers of muscle in the lower "
        "back, hips and legs. For tightness that has built up over weeks or months and may be adding "
        "to sciatic pain. Expect strong pressure that can feel intense for a moment on a tight spot: "
        f"say so and your therapist eases off. {NOT_FOR_C1_C3}",
    ),
    (
        "Deep tissue massage",
        90,
        "90.00",
        "Deep tissue massage with time to work through the lower back, hips and both legs in one "
        "visit. For tightness spread over several areas. The same slow, deep pressure, adjusted as "
        f"you go. {NOT_FOR_C1_C3}",
    ),
    (
        "Trigger point therapy",
        60,
        "65.00",
        "Steady, firm pressure held on small knots in a muscle (trigger points) that can send pain "
        "somewhere else, such as down the leg. For pain that seems to start from one tender spot. "
        "The spot can feel sore while it is pressed and ease as it softens; your therapist asks how "
        f"strong it feels and works with your answer. {NOT_FOR_C1_C3}",
    ),
    (
        "Myofascial release",
        60,
        "65.00",
        "Gentle, sustained pressure and slow stretches of the fascia, the thin connective tissue "
        "wrapped around the muscles. For stiffness, and for moving more freely. It feels like a slow "
        "stretch rather than a rub, and many people find it relaxing.",
    ),
    (
        "Swedish massage",
        60,
        "55.00",
        "Long, flowing strokes with gentle pressure over the back and legs. For relaxation, for "
        "milder sciatic symptoms, or if you prefer a lighter touch. It feels calm and even; say if "
        "you would like it lighter still.",
    ),
    (
        "Piriformis / medical massage",
        45,
        "55.00",
        "Focused work on the piriformis and the other muscles deep in the buttock, with the lower "
        "back and the back of the thigh. For sciatic pain that a tight piriformis may be adding to: "
        "the sciatic nerve runs right beside it. Firm, targeted pressure with some gentle "
        f"stretching; the buttock can feel tender while it is worked. {NOT_FOR_C1_C3}",
    ),
]

# Which services clients on blood thinners or with osteoporosis are not offered online
# (bookings.cautions): firm and deep.
PRESSURES = {
    "Deep tissue massage": Service.Pressure.DEEP,
    "Trigger point therapy": Service.Pressure.FIRM,
    "Myofascial release": Service.Pressure.GENTLE,
    "Swedish massage": Service.Pressure.GENTLE,
    "Piriformis / medical massage": Service.Pressure.FIRM,
}
PREGNANCY_TRAINED = {"lena@clinic.example"}

THERAPISTS = [
    (
        "maya@clinic.example",
        "Maya",
        "Patel",
        "Remedial and sports massage; a special interest in sciatica.",
        "all",
    ),
    (
        "tom@clinic.example",
        "Tom",
        "Okafor",
        "Deep tissue and trigger point work for desk-bound backs.",
        "deep",
    ),
    (
        "lena@clinic.example",
        "Lena",
        "Novak",
        "Myofascial release and Swedish massage; pregnancy trained.",
        "gentle",
    ),
]
WEEKLY_HOURS = [(time(9), time(13)), (time(14), time(18))]  # Monday to Saturday, lunch 13:00-14:00


class Command(BaseCommand):
    help = "Create or refresh the demo clinic: services, therapists, logins, clients and their bookings."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        now = timezone.now()
        clinic, _ = Clinic.objects.update_or_create(
            pk=1,
            defaults={
                "name": "Riverside Massage Clinic",
                "address": "12 River Street, London SE1 9AA",
                "phone": "020 7946 0321",
                "email": "hello@riverside.example",
                "time_zone": "Europe/London",
            },
        )
        services = []
        for order, (name, minutes, price, description) in enumerate(SERVICES):
            service, _ = Service.objects.update_or_create(
                name=name,
                duration_minutes=minutes,
                defaults={
                    "price": Decimal(price),
                    "description": description,
                    "pressure": PRESSURES[name],
                    "buffer_after_minutes": 15,
                    "display_order": order,
                    "is_active": True,
                },
            )
            services.append(service)
        for order, (email, first, last, bio, offers) in enumerate(THERAPISTS):
            user = _user(email, first, last)
            therapist, _ = Therapist.objects.update_or_create(
                user=user,
                defaults={
                    "bio": bio,
                    "display_order": order,
                    "is_active": True,
                    "pregnancy_trained": email in PREGNANCY_TRAINED,
                },
            )
            therapist.services.set(_services_for(offers, services))
            if therapist.working_hours.exists():
                continue  # the desk may have changed them
            WorkingHours.objects.bulk_create(
                WorkingHours(therapist=therapist, weekday=day, start_time=start, end_time=end)
                for day in range(6)
                for start, end in WEEKLY_HOURS
            )
        admin = _user("admin@clinic.example", "Alex", "Admin", is_staff=True, is_superuser=True)
        admin.groups.add(Group.objects.get_or_create(name=ADMIN_GROUP)[0])
        desk = _user("desk@clinic.example", "Frankie", "Front", is_staff=True)
        desk.groups.add(Group.objects.get_or_create(name=FRONT_DESK_GROUP)[0])
        seeded = demo_clients_seed(
            clinic=clinic, now=now, admin=admin, desk=desk, password=DEMO_PASSWORD, stdout=self.stdout
        )

        self.stdout.write(
            f"Demo clients: {seeded.clients} new, {seeded.intakes} intakes, {seeded.sessions} past "
            f"appointments and {seeded.bookings} bookings added."
        )
        care = demo_care_seed(desk=desk, now=now)
        if care.plan is not None and care.purchase is not None:
            self.stdout.write(
                f"Course of care for {care.client.get_full_name()}: a plan of {care.plan.sessions_planned} "
                f"sessions by {care.plan.therapist.name}, a package of {care.purchase.sessions} with its "
                "receipt, and baseline questionnaires added."
            )
        else:
            self.stdout.write(f"Course of care: nothing added, {care.client.get_full_name()} has a plan.")
        self.stdout.write(
            self.style.SUCCESS(f"Demo clinic ready. Logins (password for all: {DEMO_PASSWORD}):")
        )
        for role, email in [
            ("admin", "admin@clinic.example"),
            ("front desk", "desk@clinic.example"),
            ("therapist", "maya@clinic.example"),
            ("client", "client@example.com"),
        ]:
            self.stdout.write(f"  {role:<10} {email}")


def _user(email: str, first: str, last: str, **flags: object) -> User:
    user, created = User.objects.update_or_create(
        email=email, defaults={"first_name": first, "last_name": last, **flags}
    )
    if created:
        user.password = demo_password_hash(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _services_for(offers: str, services: list[Service]) -> list[Service]:
    if offers == "deep":
        return [s for s in services if s.name.startswith(("Deep", "Trigger", "Piriformis"))]
    if offers == "gentle":
        return [s for s in services if s.name.startswith(("Myofascial", "Swedish", "Deep"))]
    return services
