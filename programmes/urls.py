from django.urls import path

from . import views, views_authorities

app_name = "programmes"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/program.pdf", views.programme_pdf, name="pdf"),
    path("urzad/", views.staff_programme_list, name="staff-list"),
    path("urzad/nowy/", views.programme_edit, name="create"),
    path("urzad/<int:pk>/", views.staff_programme_detail, name="staff-detail"),
    path("urzad/<int:pk>/edycja/", views.programme_edit, name="edit"),
    path("urzad/<int:pk>/historia/", views.programme_history, name="history"),
    path("urzad/<int:pk>/kopia/", views.programme_copy, name="copy"),
    path("urzad/<int:pk>/obszary/", views.priority_areas_edit, name="priority-areas"),
    path("urzad/<int:pk>/budzet/", views.budget_edit, name="budget"),
    path("urzad/<int:pk>/wskazniki/", views.indicators_edit, name="indicators"),
    path("urzad/<int:pk>/uchwalenie/", views.programme_adopt, name="adopt"),
    path("urzad/<int:pk>/zmiana/", views.programme_amend, name="amend"),
    path("urzad/<int:pk>/realizacja/", views.programme_put_in_force, name="in-force"),
    path("urzad/wspolpraca-pozafinansowa/", views.cooperation_log, name="cooperation-log"),
    path("urzad/numeracja/", views.numbering, name="numbering"),
    # authorities on the installation, their settings and staff (views_authorities.py)
    path("urzad/jednostki/", views_authorities.authority_list, name="authority-list"),
    path("urzad/jednostki/nowa/", views_authorities.authority_create, name="authority-create"),
    path("urzad/jednostki/<int:pk>/", views_authorities.authority_settings, name="authority-settings"),
    path("urzad/jednostki/<int:pk>/pracownicy/", views_authorities.authority_staff, name="authority-staff"),
    path(
        "urzad/jednostki/<int:pk>/pracownicy/<int:staff_pk>/",
        views_authorities.staff_rights,
        name="authority-staff-rights",
    ),
    path(
        "urzad/jednostki/<int:pk>/zaproszenia/<int:invitation_pk>/wycofaj/",
        views_authorities.staff_invitation_revoke,
        name="authority-invitation-revoke",
    ),
    path("jednostki/<slug:slug>/herb/", views_authorities.authority_logo, name="authority-logo"),
]
