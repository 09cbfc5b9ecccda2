from django.contrib.auth import views as auth_views
from django.urls import path

from programmes import views_authorities

from . import views, views_two_factor

app_name = "accounts"

urlpatterns = [
    path("rejestracja/", views.sign_up, name="sign-up"),
    path("potwierdz/<uidb64>/<token>/", views.confirm_email, name="confirm"),
    path("logowanie/", views.LoginView.as_view(), name="login"),
    path("logowanie/kod/", views_two_factor.login_code, name="login-code"),
    path("logowanie-dwuetapowe/", views_two_factor.setup, name="two-factor"),
    path("logowanie-dwuetapowe/kody-zapasowe/", views_two_factor.backup_codes, name="two-factor-backup-codes"),
    path("logowanie-dwuetapowe/wylacz/", views_two_factor.disable, name="two-factor-disable"),
    path("wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("organizacja/", views.ngo_home, name="ngo-home"),
    path("urzad/", views.staff_home, name="staff-home"),
    path(
        "zaproszenie-urzedu/<str:token>/",
        views_authorities.staff_invitation_accept,
        name="staff-invitation-accept",
    ),
    path("haslo/zmiana/", views.password_change, name="password-change"),
    path("haslo/zmiana/gotowe/", views.password_change_done, name="password-change-done"),
    path("haslo/reset/", views.password_reset, name="password-reset"),
    path("haslo/reset/wyslano/", views.password_reset_done, name="password-reset-done"),
    path("haslo/reset/<uidb64>/<token>/", views.password_reset_confirm, name="password-reset-confirm"),
    path("haslo/reset/gotowe/", views.password_reset_complete, name="password-reset-complete"),
]
