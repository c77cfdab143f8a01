"""The demo clinic's clients and what has happened to them: fictitious people, dated from today.

Each client's story covers one thing a clinic sees: a clear intake, each caution, a red flag
on the follow-up list, a block cleared by a doctor, a questionnaire out of date or never filled
in, a run of sessions with the pain coming down, a no-show, a cancellation. Emails are on
example.com and phone numbers in Ofcom's range for drama (07700 900xxx).
"""

from dataclasses import dataclass, field
from datetime import time

from bookings.models import Appointment

Status = Appointment.Status

CLEAR_ANSWERS: dict[str, object] = {
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
    "age": 42,
    "pain_score": 6,
    "pain_radiates_below_knee": True,
    "numbness_tingling": False,
    "symptom_weeks": 3,
}

DEEP = ("Deep tissue massage", 60)
DEEP_90 = ("Deep tissue massage", 90)
TRIGGER = ("Trigger point therapy", 60)
MYOFASCIAL = ("Myofascial release", 60)
SWEDISH = ("Swedish massage", 60)
PIRIFORMIS = ("Piriformis / medical massage", 45)


@dataclass(frozen=True)
class Session:
    """A past appointment, `working_days_ago` (Monday to Saturday) before today, at `at`."""

    working_days_ago: int
    at: time
    pain_before: int = 0
    pain_after: int = 0
    client_reports: str = ""
    findings: str = ""
    status: str = Status.COMPLETED


@dataclass(frozen=True)
class Visit:
    """A booking to come: the first free slot from `at` on the working day `working_days_ahead`."""

    working_days_ahead: int
    at: time
    by_desk: bool = False  # booked by phone


@dataclass(frozen=True)
class Treatment:
    """How the therapist works with the client: the parts of each session note that stay the same."""

    techniques: tuple[str, ...] = ("deep_tissue",)
    pressure: str = "medium"
    positioning: str = "Prone, pillow under the ankles"
    areas_treated: str = "Lower back, left glutes, left hamstring"
    plan: str = "Weekly for three more sessions, then review."
    home_care: str = "Knee-to-chest stretch morning and evening; a walk every day."


@dataclass(frozen=True)
class DemoClient:
    email: str
    first_name: str
    last_name: str
    phone: str = ""
    answers: dict[str, object] = field(default_factory=dict)  # what differs from CLEAR_ANSWERS
    details: dict[str, object] = field(default_factory=dict)  # intake.services.DETAIL_FIELDS
    intake_days_ago: int | None = None  # None: signed up, questionnaire not filled in yet
    therapist: str = "maya@clinic.example"
    service: tuple[str, int] = DEEP
    treatment: Treatment = Treatment()
    sessions: tuple[Session, ...] = ()
    visits: tuple[Visit, ...] = ()
    # A doctor saw the client about the red flag and cleared massage, `days` after the intake.
    cleared_by: tuple[str, str, int] | None = None
    reports_today: tuple[str, ...] = ()  # red flags the client reports at today's re-check


AM, MID, PM, LATE = time(9), time(11), time(14), time(16)  # past slots: no therapist's two overlap

CAST: tuple[DemoClient, ...] = (
    DemoClient(
        "client@example.com",
        "Sam",
        "Jones",
        "07700 900123",
        answers={"pain_score": 7},
        details={
            "pain_location": "Left buttock and back of the thigh",
            "worse_with": ["sitting"],
            "pressure_preference": "medium",
            "positioning": "Side-lying",
            "goals": "Sit through a working day",
        },
        intake_days_ago=16,
        service=PIRIFORMIS,
        treatment=Treatment(
            techniques=("piriformis", "trigger_point"),
            positioning="Side-lying, pillow between the knees",
            areas_treated="Left piriformis and glutes",
            home_care="Piriformis stretch twice a day; stand up every 30 minutes.",
        ),
        sessions=(
            Session(
                11,
                AM,
                7,
                5,
                "Pain down the left leg after long days at the desk.",
                "Very tight left piriformis, tender trigger point mid-glute.",
            ),
            Session(
                8,
                AM,
                6,
                4,
                "Slept better after the first session.",
                "Piriformis softer; trigger point still active.",
            ),
            Session(
                5,
                AM,
                5,
                3,
                "Managed a full day at work with two breaks.",
                "Glutes much looser; hamstring tight.",
            ),
            Session(
                2,
                AM,
                4,
                2,
                "Only twinges now, mostly in the car.",
                "Little tension left on the left; right side normal.",
            ),
        ),
        visits=(Visit(1, time(10)), Visit(6, time(10))),
    ),
    DemoClient(
        "priya.shah@example.com",
        "Priya",
        "Shah",
        "07700 900201",
        answers={"age": 36, "pain_score": 6, "numbness_tingling": True},
        details={
            "pain_location": "Right lower back into the calf",
            "worse_with": ["bending", "standing"],
            "pressure_preference": "firm",
        },
        intake_days_ago=15,
        therapist="tom@clinic.example",
        treatment=Treatment(
            techniques=("deep_tissue", "trigger_point"),
            pressure="firm",
            areas_treated="Right lower back, right glutes, calf",
        ),
        sessions=(
            Session(
                10,
                AM,
                6,
                4,
                "Tingling in the right foot after gardening.",
                "Right quadratus lumborum in spasm.",
            ),
            Session(6, AM, 5, 3, "Tingling less often.", "QL easing; glute medius tight."),
            Session(
                2,
                AM,
                3,
                2,
                "Back in the garden for an hour without pain.",
                "Good range of movement; mild tightness only.",
            ),
        ),
        visits=(Visit(2, time(9)),),
    ),
    DemoClient(  # CAUTION C1: blood thinners, so gentle pressure only and no deep-tissue online
        "grace.okoye@example.com",
        "Grace",
        "Okoye",
        "07700 900202",
        answers={"age": 47, "anticoagulants": True, "pain_score": 6},
        details={
            "medications": "Apixaban 5 mg twice a day",
            "pressure_preference": "light",
            "goals": "Walk the dog again",
        },
        intake_days_ago=14,
        therapist="lena@clinic.example",
        service=MYOFASCIAL,
        treatment=Treatment(
            techniques=("myofascial_release",),
            pressure="light",
            plan="Fortnightly, light pressure only; check for bruising each visit.",
            home_care="Gentle walking; warm (not hot) compress for 15 minutes.",
        ),
        sessions=(
            Session(
                9,
                AM,
                6,
                4,
                "Aching left hip after walking.",
                "Fascial restriction over the left hip; no bruising from before.",
            ),
            Session(3, AM, 4, 3, "Walked the dog twice this week.", "Tissue softer; no bruising."),
        ),
        visits=(Visit(4, time(11)),),
    ),
    DemoClient(  # CAUTION C2: pregnant, so only a pregnancy-trained therapist
        "hannah.whitfield@example.com",
        "Hannah",
        "Whitfield",
        "07700 900203",
        answers={"age": 31, "pregnant": True, "pain_score": 5},
        details={
            "health_history": "24 weeks pregnant; midwife happy with massage",
            "positioning": "Side-lying only",
        },
        intake_days_ago=12,
        therapist="lena@clinic.example",
        service=SWEDISH,
        treatment=Treatment(
            techniques=("swedish",),
            pressure="light",
            positioning="Side-lying with pillows",
            areas_treated="Lower back and right glutes",
            plan="Every two weeks until 36 weeks.",
            home_care="Pelvic tilts on all fours; ask the midwife about a support belt.",
        ),
        sessions=(
            Session(
                7,
                MID,
                5,
                3,
                "Sharp pain in the right buttock when turning in bed.",
                "Tight right glutes; no leg swelling.",
            ),
        ),
        visits=(Visit(3, time(14)),),
    ),
    DemoClient(  # SEE_DOCTOR (S1, a fall), cleared by a doctor before the first session
        "daniel.reyes@example.com",
        "Daniel",
        "Reyes",
        "07700 900204",
        answers={"age": 39, "recent_major_trauma": True, "pain_score": 6},
        details={
            "pain_location": "Lower back, left side",
            "health_history": "Fell from a ladder three weeks ago",
        },
        intake_days_ago=20,
        therapist="tom@clinic.example",
        cleared_by=("Dr Ruth Adeyemi", "Bankside Medical Centre", 3),
        sessions=(
            Session(
                9,
                MID,
                6,
                4,
                "Stiff in the mornings since the fall; X-ray was clear.",
                "Guarding through the left lower back.",
            ),
            Session(4, MID, 4, 2, "Mornings easier.", "Much less guarding."),
        ),
        visits=(Visit(5, time(11)),),
    ),
    DemoClient(  # a red flag at this morning's re-check: on the follow-up list, booking released
        "marcus.bell@example.com",
        "Marcus",
        "Bell",
        "07700 900205",
        answers={"age": 45, "pain_score": 6},
        details={"pain_location": "Left buttock", "goals": "Play five-a-side again"},
        intake_days_ago=14,
        sessions=(Session(4, MID, 6, 4, "Pain after football.", "Tight left hamstring and glutes."),),
        visits=(Visit(7, time(14)),),
        reports_today=("calf_swelling_redness_warmth",),
    ),
    DemoClient(  # EMERGENCY (E2): told to go to A&E; the desk follows up
        "olivia.grant@example.com",
        "Olivia",
        "Grant",
        "07700 900206",
        answers={"age": 52, "saddle_numbness": True, "pain_score": 7},
        intake_days_ago=1,
    ),
    DemoClient(  # CAUTION C5: over 50
        "robert.hughes@example.com",
        "Robert",
        "Hughes",
        "07700 900207",
        answers={"age": 63, "pain_score": 5},
        intake_days_ago=13,
        sessions=(
            Session(
                6,
                PM,
                5,
                4,
                "Ache in the right hip when walking far; GP saw him last month.",
                "Tight right glutes and ITB.",
            ),
            Session(1, PM, 4, 2, "Walked into town and back.", "Glutes looser."),
        ),
        visits=(Visit(3, time(15)),),
    ),
    DemoClient(  # CAUTION C3 and C5: osteoporosis, over 50
        "margaret.lewis@example.com",
        "Margaret",
        "Lewis",
        "07700 900208",
        answers={"age": 71, "osteoporosis": True, "pain_score": 5},
        details={"pressure_preference": "light"},
        intake_days_ago=10,
        therapist="lena@clinic.example",
        service=SWEDISH,
        treatment=Treatment(
            techniques=("swedish",), pressure="light", plan="Fortnightly; no pressure over bony points."
        ),
        sessions=(Session(5, PM, 5, 3, "Aching left buttock after sitting.", "Soft tissue tension only."),),
        visits=(Visit(8, time(10)),),
    ),
    DemoClient(  # CAUTION C7: mild leg weakness, asked at every visit whether it is worse
        "ben.carter@example.com",
        "Ben",
        "Carter",
        "07700 900209",
        answers={"age": 29, "leg_weakness": "mild", "pain_score": 6},
        intake_days_ago=11,
        service=MYOFASCIAL,
        treatment=Treatment(techniques=("myofascial_release", "trigger_point")),
        sessions=(
            Session(
                7, MID, 6, 4, "Left foot a little weak on stairs; GP is aware.", "No change in the weakness."
            ),
            Session(3, MID, 5, 3, "Weakness no worse.", "Hamstring looser."),
        ),
        visits=(Visit(2, time(11)),),
    ),
    DemoClient(  # CAUTION C6: aged 19
        "ella.morgan@example.com",
        "Ella",
        "Morgan",
        "07700 900210",
        answers={"age": 19, "pain_score": 5},
        intake_days_ago=8,
        therapist="tom@clinic.example",
        service=TRIGGER,
        treatment=Treatment(techniques=("trigger_point",)),
        sessions=(Session(4, PM, 5, 3, "Pain after netball.", "Trigger points in the left glute medius."),),
        visits=(Visit(6, time(16)),),
    ),
    DemoClient(  # CAUTION C4 and C5: an operation 9 weeks before the intake
        "stephen.price@example.com",
        "Stephen",
        "Price",
        "07700 900211",
        answers={"age": 55, "recent_surgery_weeks": 9, "pain_score": 5},
        details={"health_history": "Knee arthroscopy, right", "areas_to_avoid": "Right knee"},
        intake_days_ago=9,
        service=MYOFASCIAL,
        visits=(Visit(1, time(14), by_desk=True),),
    ),
    DemoClient(  # CAUTION C8: pain of 8
        "fatima.ali@example.com",
        "Fatima",
        "Ali",
        "07700 900212",
        answers={"age": 44, "pain_score": 8},
        intake_days_ago=6,
        therapist="tom@clinic.example",
        service=TRIGGER,
        treatment=Treatment(techniques=("trigger_point",), pressure="light"),
        sessions=(
            Session(
                3,
                PM,
                8,
                6,
                "Pain stops her sleeping; GP has prescribed pain relief.",
                "Very tender; worked gently.",
            ),
        ),
        visits=(Visit(4, time(9)),),
    ),
    DemoClient("chloe.evans@example.com", "Chloe", "Evans", "07700 900213"),  # no questionnaire yet
    DemoClient(  # a questionnaire older than the clinic's 90 days: to fill in again
        "peter.walsh@example.com",
        "Peter",
        "Walsh",
        "07700 900214",
        answers={"age": 60, "pain_score": 4},
        intake_days_ago=130,
    ),
    DemoClient(  # a session, then a no-show
        "liam.foster@example.com",
        "Liam",
        "Foster",
        "07700 900215",
        answers={"age": 33, "pain_score": 5},
        intake_days_ago=12,
        therapist="tom@clinic.example",
        sessions=(
            Session(8, LATE, 5, 3, "Pain after a long drive.", "Tight glutes both sides, worse on the left."),
            Session(3, LATE, status=Status.NO_SHOW),
        ),
        visits=(Visit(9, time(16), by_desk=True),),
    ),
    DemoClient(
        "aisha.khan@example.com",
        "Aisha",
        "Khan",
        "07700 900216",
        answers={"age": 27, "pain_score": 4},
        intake_days_ago=5,
        service=DEEP_90,
        visits=(Visit(0, time(14), by_desk=True),),
    ),
    DemoClient(
        "noah.williams@example.com",
        "Noah",
        "Williams",
        "07700 900217",
        answers={"age": 48, "pain_score": 5},
        intake_days_ago=4,
        therapist="tom@clinic.example",
        service=DEEP_90,
        visits=(Visit(5, time(14)),),
    ),
    DemoClient(  # cancelled a session herself
        "zoe.turner@example.com",
        "Zoe",
        "Turner",
        "07700 900218",
        answers={"age": 34, "pain_score": 5},
        intake_days_ago=5,
        therapist="lena@clinic.example",
        service=MYOFASCIAL,
        sessions=(Session(2, LATE, status=Status.CANCELLED),),
        visits=(Visit(1, time(16)),),
    ),
    DemoClient(
        "isabel.costa@example.com",
        "Isabel",
        "Costa",
        "07700 900219",
        answers={"age": 40, "pain_score": 5},
        intake_days_ago=2,
        therapist="lena@clinic.example",
        visits=(Visit(10, time(9)),),
    ),
)
