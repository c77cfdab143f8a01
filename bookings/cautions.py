"""What a client's cautions rule out booking online: spec §3's handling notes made product rules.

- C1 (blood thinners) and C3 (osteoporosis): no firm or deep-pressure service online (spec §3:
  "no forceful or deep-tissue pressure", "no forceful pressure over bones"; R19, R20). The
  session note does not suggest firm pressure to the therapist either.
- C2 (pregnancy): only a pregnancy-trained therapist (spec §3: "a pregnancy-trained
  therapist"); "anyone" means any pregnancy-trained therapist.

bookings.services refuses what is ruled out here (CautionRuledOut); only the front desk or an
admin may book it anyway, with a reason kept on the appointment. Pages and the API use the same
functions to offer only what booking would accept. Clients are told why in their own words,
never with rule IDs; the staff wording names no condition, because the front desk sees
outcomes only, never reasons.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from accounts.models import User

from .availability import Slot
from .models import Clinic, Service, Therapist
from .screening import client_standing
from .selectors import services_bookable, therapists_bookable

# The cautions that rule out firm and deep pressure, with the reason in the client's words.
FIRM_PRESSURE_RULED_OUT_BY = {"C1": "you take blood thinners", "C3": "you have osteoporosis"}
FIRM_PRESSURES = (Service.Pressure.FIRM, Service.Pressure.DEEP)
PREGNANCY_TRAINED_ONLY_BY = "C2"


@dataclass(frozen=True)
class CautionLimits:
    """What a client's cautions in force rule out online; most clients have none."""

    firm_pressure_reasons: tuple[str, ...]  # in the client's words: "you take blood thinners"
    pregnancy_trained_only: bool

    @property
    def rules_out_firm_pressure(self) -> bool:
        return bool(self.firm_pressure_reasons)

    @property
    def limits_anything(self) -> bool:
        return self.rules_out_firm_pressure or self.pregnancy_trained_only

    def allows_service(self, service: Service) -> bool:
        return not (self.rules_out_firm_pressure and service.pressure in FIRM_PRESSURES)

    def allows_therapist(self, therapist: Therapist) -> bool:
        return therapist.pregnancy_trained or not self.pregnancy_trained_only

    def services(self, services: QuerySet[Service]) -> QuerySet[Service]:
        """`services` without those ruled out."""
        return services.exclude(pressure__in=FIRM_PRESSURES) if self.rules_out_firm_pressure else services

    def therapists(self, therapists: QuerySet[Therapist]) -> QuerySet[Therapist]:
        """`therapists` without those ruled out."""
        return therapists.filter(pregnancy_trained=True) if self.pregnancy_trained_only else therapists

    @property
    def pressure_explanation(self) -> str:
        """Why firm and deep-pressure services are not offered online, in the client's words."""
        if not self.rules_out_firm_pressure:
            return ""
        reasons = " and ".join(self.firm_pressure_reasons)
        return f"As {reasons}, we don't offer firm or deep-pressure massage online."

    @property
    def therapist_explanation(self) -> str:
        """Why only some therapists are offered, in the client's words."""
        if not self.pregnancy_trained_only:
            return ""
        return "As you are pregnant, we book you with a therapist trained in pregnancy massage."


NO_LIMITS = CautionLimits(firm_pressure_reasons=(), pregnancy_trained_only=False)


def caution_limits(codes: Iterable[str]) -> CautionLimits:
    """The limits set by the rule codes in force (a Standing's `codes`)."""
    in_force = set(codes)
    return CautionLimits(
        firm_pressure_reasons=tuple(
            reason for code, reason in FIRM_PRESSURE_RULED_OUT_BY.items() if code in in_force
        ),
        pregnancy_trained_only=PREGNANCY_TRAINED_ONLY_BY in in_force,
    )


def caution_limits_of(
    user: User | AnonymousUser, *, clinic: Clinic | None = None, now: datetime | None = None
) -> CautionLimits:
    """The limits for whoever is booking online; nobody signed in has none (booking checks again).

    `clinic` when the caller has just read it (else client_standing reads it)."""
    if not user.is_authenticated:
        return NO_LIMITS
    return caution_limits(client_standing(user, clinic=clinic, now=now).codes)  # type: ignore[arg-type]


def services_ruled_out(limits: CautionLimits) -> QuerySet[Service]:
    """The bookable services these limits rule out online, to show greyed with the reason."""
    if not limits.rules_out_firm_pressure:
        return Service.objects.none()
    return services_bookable().filter(pressure__in=FIRM_PRESSURES)


def slots_allowed(limits: CautionLimits, slots: list[Slot], *, service: Service) -> list[Slot]:
    """The slots of `service` that booking would accept under `limits`: none for a ruled-out service."""
    if not limits.allows_service(service):
        return []
    return slots_with_therapists_allowed(limits, slots)


def slots_with_therapists_allowed(limits: CautionLimits, slots: list[Slot]) -> list[Slot]:
    """The slots of therapists `limits` allow: those an "anyone" booking may be given."""
    if not limits.pregnancy_trained_only:
        return slots
    trained = set(Therapist.objects.filter(pregnancy_trained=True).values_list("pk", flat=True))
    return [slot for slot in slots if slot.therapist_id in trained]


def booking_refusal(
    limits: CautionLimits, *, service: Service, therapist: Therapist | None, clinic_phone: str = ""
) -> str:
    """Why the client may not book `service` with `therapist` online, in their words; "" if they may.

    With no `therapist` ("anyone"), only the service is checked: the clinic picks among the
    therapists `limits` allow (bookings.assignment).
    """
    call = f"call us on {clinic_phone}" if clinic_phone else "call us"
    parts = []
    if not limits.allows_service(service):
        gentler = _names(limits.services(services_bookable()))
        choose = f"choose a gentler treatment ({gentler}), or " if gentler else ""
        parts.append(f"{limits.pressure_explanation} Please {choose}{call} to talk it through.")
    if therapist is not None and not limits.allows_therapist(therapist):
        trained = _names(limits.therapists(therapists_bookable().filter(services=service)))
        choose = f"please choose {trained}" if trained else f"please {call}"
        parts.append(f"{limits.therapist_explanation} {therapist.name} isn't, so {choose}.")
    return " ".join(parts)


def booking_refusal_for_staff(
    limits: CautionLimits, *, service: Service, therapist: Therapist | None = None
) -> str:
    """The same refusal for the front desk: what is ruled out and what isn't, never the condition.

    With no `therapist` (the desk's "anyone"), it says which therapists the client can book.
    """
    parts = []
    if not limits.allows_service(service):
        gentler = _names(limits.services(services_bookable()))
        parts.append(
            f"This client's intake rules out firm and deep-pressure treatments online, and "
            f"{service.name} is {service.get_pressure_display().lower()} pressure."
            + (f" Treatments they can book: {gentler}." if gentler else "")
        )
    if limits.pregnancy_trained_only if therapist is None else not limits.allows_therapist(therapist):
        trained = _names(limits.therapists(therapists_bookable().filter(services=service)))
        ruled_out = therapist.name if therapist else "some therapists"
        parts.append(
            f"This client's intake rules out {ruled_out} online."
            + (f" Therapists they can book for {service.name}: {trained}." if trained else "")
        )
    return " ".join(parts)


def _names(rows: QuerySet[Service] | QuerySet[Therapist]) -> str:
    """ "A, B or C"; the same treatment in two lengths is named once."""
    names = list(dict.fromkeys(row.name for row in rows))
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"
