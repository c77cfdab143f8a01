"""The staff's documents pages for one client: referrals, progress letters, payments and receipts.

Reached from the workspace's client page ("Documents"). Each page asks documents.access, on top
of the client being visible at all (privacy.access): the front desk sees receipts and takes
payments but never a referral or a letter; a therapist sees their own clients' referrals and
letters and writes letters for their own plans.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import User
from care.models import TreatmentPlan
from care.selectors import plan_progress, plans_of_client
from outcomes.selectors import plan_outcomes
from privacy.access import staff_page, uses_workspace, visible_appointment_or_404, visible_client_or_404
from privacy.models import AccessRecord
from privacy.records import clinical_page, clinical_read

from ..access import issues_receipts, letter_plans, sees_clinical_documents, writes_letter
from ..forms import CorrectionForm, LetterForm, PaymentForm, ReferralForm
from ..models import Receipt, Referral
from ..receipts import receipt_correct, session_payment_record
from ..selectors import appointments_awaiting_receipt, letters_of, receipts_of
from ..services import letter_issue, referral_record

REFERRAL, LETTER = AccessRecord.What.REFERRAL, AccessRecord.What.LETTER


@staff_page(uses_workspace)
@clinical_page
@require_http_methods(["GET"])
def client_documents(request: HttpRequest, client_id: int) -> HttpResponse:
    # Whoever may open the client's page sees their receipts (documents.access.sees_receipts).
    found = visible_client_or_404(request.user, client_id)
    clinical = sees_clinical_documents(request.user, found)
    context: dict[str, object] = {
        "client": found,
        "clinical": clinical,
        "issues_receipts": issues_receipts(request.user),
        "receipts": receipts_of(found).select_related("appointment__service"),
    }
    if clinical:
        context |= {
            "referrals": Referral.objects.filter(client=found),
            "letters": letters_of(found),
            "plans": list(letter_plans(request.user, plans_of_client(found))),
        }
    if context["issues_receipts"]:
        context["awaiting"] = appointments_awaiting_receipt(found)[:20]
    clinical_read(request, clients=[found] if clinical else [], what=[REFERRAL, LETTER])
    return render(request, "documents/client.html", context)


@staff_page(uses_workspace)
@require_http_methods(["GET", "POST"])
def referral_new(request: HttpRequest, client_id: int) -> HttpResponse:
    found = visible_client_or_404(request.user, client_id)
    if not sees_clinical_documents(request.user, found):
        raise Http404
    form = ReferralForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_record(
                client=found,
                doctor_name=form.cleaned_data["doctor_name"],
                practice=form.cleaned_data["practice"],
                written_on=form.cleaned_data["written_on"],
                prescribes=form.prescription(),
                notes=form.cleaned_data["notes"],
                scan=form.cleaned_data["scan"],
                by=_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "Referral recorded.")
            return redirect("documents:client", client_id=found.pk)
    return _form_page(request, form, client=found, title="Record a referral")


@staff_page(uses_workspace)
@clinical_page
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(
        TreatmentPlan.objects.select_related("client", "service", "therapist__user"), pk=plan_id
    )
    if not writes_letter(request.user, plan):
        raise Http404
    latest_referral = Referral.objects.filter(client=plan.client).first()
    form = LetterForm(
        request.POST or None,
        initial={"addressed_to": latest_referral.doctor_text if latest_referral else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            letter = letter_issue(
                plan=plan,
                summary=form.cleaned_data["summary"],
                addressed_to=form.cleaned_data["addressed_to"],
                by=_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Letter issued: the client can download it too ({letter.file_name}).")
            return redirect(reverse("documents:client", args=[plan.client_id]) + "#letters")
    clinical_read(request, clients=[plan.client], what=[LETTER])
    context = {"plan": plan, "progress": plan_progress(plan), "outcomes": plan_outcomes(plan)}
    return _form_page(request, form, client=plan.client, title="Write a progress letter", extra=context)


@staff_page(issues_receipts)
@require_http_methods(["GET", "POST"])
def payment_new(request: HttpRequest, appointment_id: int) -> HttpResponse:
    appointment = visible_appointment_or_404(request.user, appointment_id)
    form = PaymentForm(
        request.POST or None,
        initial={"amount": appointment.service.price, "method": Receipt.PaymentMethod.CARD},
    )
    if request.method == "POST" and form.is_valid():
        try:
            receipt = session_payment_record(
                appointment=appointment,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                by=_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Payment recorded: receipt {receipt.display_number} issued.")
            return redirect(reverse("documents:client", args=[appointment.client_id]) + "#receipts")
    return _form_page(
        request, form, client=appointment.client, title="Record a payment", extra={"appointment": appointment}
    )


@staff_page(issues_receipts)
@require_http_methods(["GET", "POST"])
def receipt_correct_page(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = get_object_or_404(Receipt.objects.select_related("client"), pk=receipt_id)
    form = CorrectionForm(
        request.POST or None, initial={"amount": receipt.amount, "method": receipt.payment_method}
    )
    if request.method == "POST" and form.is_valid():
        try:
            correction = receipt_correct(
                receipt=receipt,
                amount=form.cleaned_data["amount"],
                method=form.cleaned_data["method"],
                reason=form.cleaned_data["reason"],
                by=_user(request),
                now=timezone.now(),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"Receipt {receipt.display_number} is void; {correction.display_number} replaces it."
            )
            return redirect(reverse("documents:client", args=[receipt.client_id]) + "#receipts")
    return _form_page(
        request,
        form,
        client=receipt.client,
        title=f"Correct receipt {receipt.display_number}",
        extra={"receipt": receipt},
    )


def _form_page(
    request: HttpRequest, form: object, *, client: User, title: str, extra: dict[str, object] | None = None
) -> HttpResponse:
    context = {"form": form, "client": client, "title": title, **(extra or {})}
    return render(request, "documents/form_page.html", context)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # staff_page lets only signed-in staff in
