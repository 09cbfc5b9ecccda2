from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("eksport.csv", views.directory_export, {"fmt": "csv"}, name="directory-export"),
    path("eksport.xlsx", views.directory_export, {"fmt": "xlsx"}, name="directory-export-xlsx"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("rejestracja/", views.organisation_register, name="register"),
    path("<int:pk>/edycja/", views.organisation_edit, name="edit"),
    path("<int:pk>/czlonkowie/", views.organisation_members, name="members"),
    path("<int:pk>/czlonkowie/<int:membership_pk>/usun/", views.membership_remove, name="member-remove"),
    path("<int:pk>/czlonkowie/<int:membership_pk>/rola/", views.membership_change_role, name="member-role"),
    path("<int:pk>/zaproszenia/<int:invitation_pk>/wycofaj/", views.invitation_revoke, name="invitation-revoke"),
    path("zaproszenie/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("urzad/", views.staff_list, name="staff-list"),
    path("<int:pk>/weryfikacja/", views.organisation_verify, name="verify"),
]
