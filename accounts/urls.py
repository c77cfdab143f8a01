from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import ClinicPasswordResetForm, ClinicSetPasswordForm

# django.contrib.admin comes before accounts in INSTALLED_APPS and ships its own
# registration/password_reset_*.html, so the clinic's templates have names of their own.
# Past the login limits (accounts/backends.py) the login view raises clinic.throttle.Throttled,
# which clinic.throttle.TooManyRequestsMiddleware answers with the 429 "please wait" page.
urlpatterns = [
    path("", views.account, name="account"),
    path("email/", views.email_change, name="email_change"),
    path("email/confirm/<str:token>/", views.email_change_confirm, name="email_change_confirm"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_changed.html"),
        name="password_change_done",
    ),
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            form_class=ClinicPasswordResetForm,
            template_name="registration/reset_request.html",
            email_template_name="registration/reset_email.txt",
            subject_template_name="registration/reset_subject.txt",
        ),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="registration/reset_sent.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=ClinicSetPasswordForm, template_name="registration/reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="registration/reset_complete.html"),
        name="password_reset_complete",
    ),
]
