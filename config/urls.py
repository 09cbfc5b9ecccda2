from django.contrib import admin
from django.urls import include, path

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
    path("admin/", admin.site.urls),
]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
