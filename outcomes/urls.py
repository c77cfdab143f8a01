from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.questionnaires_start, name="start"),
    path("r/<str:token>/", views.reassessment, name="reassessment"),
]
