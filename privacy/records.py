"""Every read of a client's clinical data is on record: one mechanism for pages and the admin.

A page that shows clinical data (an intake's answers, reasons or outcome, clearances, session
notes, day-of check answers) is marked `@clinical_page` and, before it answers, says whose
data it showed with `clinical_read`. The reads are kept as AccessRecords once the page answers
200, so a refused, failed or redirected request keeps none. A marked page that answers 200
without saying what it showed fails loudly rather than show data off the record.

In the admin, a clinical model's ModelAdmin extends ClinicalReadAdmin: clinic admins only,
read-only, and a record for every client shown on each list and change page opened.

The test of this (tests/workspace/test_access_records.py) walks every URL of the project:
each is a clinical page (CLINICAL_PAGES, or a ClinicalReadAdmin's list or change page) or on
its list of pages that show nothing clinical.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from accounts.models import User
from accounts.roles import is_clinic_admin
from bookings.models import Appointment

from .services import ClinicalRead, access_records_write

View = Callable[..., HttpResponse]

# Every function view marked @clinical_page (the wrappers the URLconf ends up holding wrap them).
CLINICAL_PAGES: set[View] = set()

_READS = "_clinical_reads"  # the request attribute where a marked page notes what it showed


def clinical_page(view: View) -> View:
    """Mark `view` as a page that shows clinical data: its `clinical_read`s are kept on record."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        setattr(request, _READS, None)
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            reads: list[ClinicalRead] | None = getattr(request, _READS)
            if reads is None:
                raise ImproperlyConfigured(
                    f"{view.__module__}.{view.__qualname__} showed a page without saying whose "
                    "clinical data it showed (privacy.records.clinical_read)."
                )
            access_records_write(viewer=request.user, reads=reads, path=request.get_full_path())  # type: ignore[arg-type]
        return response

    CLINICAL_PAGES.add(wrapper)
    return wrapper


def clinical_read(
    request: HttpRequest,
    *,
    clients: Iterable[User],
    what: Sequence[str],
    appointment: Appointment | None = None,
) -> None:
    """Say that this page shows `what` (AccessRecord.What values) of each of `clients`.

    Call it with no clients when the page shows nobody's (an empty list). Only a page marked
    @clinical_page may call it, so that every page that keeps records is known.
    """
    if not hasattr(request, _READS):
        raise ImproperlyConfigured("clinical_read is for pages marked @clinical_page.")
    reads: list[ClinicalRead] = getattr(request, _READS) or []
    reads.extend(
        ClinicalRead(
            client_id=client.pk,
            what=tuple(what),
            appointment_id=appointment.pk if appointment is not None else None,
        )
        for client in clients
    )
    setattr(request, _READS, reads)


class ReadOnlyForClinicAdmins(admin.ModelAdmin):
    """Records to look up in the admin, by clinic admins only; nobody changes them here."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_clinic_admin(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_clinic_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ClinicalReadAdmin(ReadOnlyForClinicAdmins):
    """A clinical model in the admin: each list page and change page opened keeps one access
    record per client (and appointment) it shows; a list of 100 intakes is 100 clients read."""

    client_path: str  # from the model to its client, as a lookup: "appointment__client"
    appointment_path: str | None = None  # to its appointment, if it has one
    what: Sequence[str]  # AccessRecord.What values

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if _shown(response):
            self._keep_reads(request, response.context_data["cl"].result_list)  # type: ignore[attr-defined]
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if _shown(response):
            self._keep_reads(request, [response.context_data["original"]])  # type: ignore[attr-defined]
        return response

    def _keep_reads(self, request: HttpRequest, shown: Iterable[Model]) -> None:
        rows = self.model._default_manager.filter(pk__in=[each.pk for each in shown])
        pairs: set[tuple[int, int | None]] = (
            set(rows.values_list(self.client_path, self.appointment_path))
            if self.appointment_path
            else {(client_id, None) for client_id in rows.values_list(self.client_path, flat=True)}
        )
        reads = [
            ClinicalRead(client_id=client_id, what=tuple(self.what), appointment_id=appointment_id)
            for client_id, appointment_id in sorted(pairs, key=str)
        ]
        access_records_write(viewer=request.user, reads=reads, path=request.get_full_path())  # type: ignore[arg-type]


class ClinicalReadInline(admin.TabularInline):
    """Rows shown inside a ClinicalReadAdmin's change page: to read, by clinic admins only."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return is_clinic_admin(request.user)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _shown(response: HttpResponse) -> bool:
    return (
        isinstance(response, TemplateResponse) and response.status_code == 200 and bool(response.context_data)
    )
