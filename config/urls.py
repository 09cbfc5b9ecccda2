from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("deklaracja-dostepnosci/", views.accessibility_statement, name="accessibility"),
    path("klauzula-informacyjna/", views.privacy, name="privacy"),
    path("konto/", include("accounts.urls")),
    path("organizacje/", include("organisations.urls")),
    path("programy/", include("programmes.urls")),
    path("konsultacje/", include("consultations.urls")),
    path("konkursy/", include("grants.urls")),
    path("sprawozdania/", include("reports.urls")),
    path("urzad/import/", include("programmes.imports.urls")),
    path("powiadomienia/", include("accounts.notifications.urls")),
    path("wiadomosci/", include("grants.correspondence.urls")),
    path("weryfikacja-dokumentu/", include("grants.signatures.urls")),
    # The admin signs in through the portal's login, so its two-factor step and lockout apply there too.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
