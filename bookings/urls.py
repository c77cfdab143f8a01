from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("therapists/", views.therapists, name="therapists"),
    path("book/", views.book, name="book"),
    path("book/confirm/", views.book_confirm, name="book_confirm"),
    path("appointments/", views.my_appointments, name="my_appointments"),
    path("appointments/<int:appointment_id>/booked/", views.appointment_booked, name="appointment_booked"),
    path("appointments/<int:appointment_id>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path("visit-check/<str:token>/", views.pre_visit_check, name="pre_visit_check"),
]
