from django.urls import path

from .views import desk, pre_visit, report, schedule, therapist, therapist_notifications

app_name = "workspace"

urlpatterns = [
    path("", therapist.home, name="home"),
    path("agenda/", therapist.agenda, name="agenda"),
    path(
        "notifications/<int:notification_id>/read/",
        therapist_notifications.notification_read,
        name="notification_read",
    ),
    path("appointments/<int:appointment_id>/", therapist.appointment, name="appointment"),
    path(
        "appointments/<int:appointment_id>/attendance/",
        therapist.appointment_attendance,
        name="appointment_attendance",
    ),
    path(
        "appointments/<int:appointment_id>/pre-visit-check/",
        pre_visit.appointment_pre_visit_check,
        name="appointment_pre_visit_check",
    ),
    path("appointments/<int:appointment_id>/move/", desk.appointment_move, name="appointment_move"),
    path(
        "appointments/<int:appointment_id>/cancel/", desk.appointment_cancel_view, name="appointment_cancel"
    ),
    path("clients/", therapist.client_list, name="client_list"),
    path("clients/new/", desk.client_new, name="client_new"),
    path("clients/<int:client_id>/", therapist.client, name="client"),
    path("clients/<int:client_id>/intake/", desk.client_intake, name="client_intake"),
    path("clients/<int:client_id>/book/", desk.client_book, name="client_book"),
    path("clients/<int:client_id>/book/confirm/", desk.client_book_confirm, name="client_book_confirm"),
    path("schedule/", schedule.schedule_day, name="schedule_day"),
    path("schedule/week/", schedule.schedule_week, name="schedule_week"),
    path("therapists/", schedule.therapist_list, name="therapist_list"),
    path("therapists/<int:therapist_id>/hours/", schedule.therapist_hours, name="therapist_hours"),
    path(
        "therapists/<int:therapist_id>/hours/saved/",
        schedule.therapist_hours_saved,
        name="therapist_hours_saved",
    ),
    path("therapists/<int:therapist_id>/time-off/", schedule.therapist_time_off, name="therapist_time_off"),
    path("time-off/<int:time_off_id>/saved/", schedule.time_off_saved, name="time_off_saved"),
    path("time-off/<int:time_off_id>/remove/", schedule.time_off_remove_view, name="time_off_remove"),
    path("closures/", schedule.closure_list, name="closure_list"),
    path("closures/<int:closure_id>/saved/", schedule.closure_saved, name="closure_saved"),
    path("closures/<int:closure_id>/remove/", schedule.closure_remove_view, name="closure_remove"),
    path("report/", report.report, name="report"),
]
