from django.urls import path

from . import views

urlpatterns = [
    path("", views.intake_start, name="intake_start"),
    path("result/", views.intake_result, name="intake_result"),
    path("blocked/", views.intake_blocked_list, name="intake_blocked_list"),
    path("<int:intake_id>/clearance/", views.intake_clearance, name="intake_clearance"),
]
