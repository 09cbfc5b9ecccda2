from django.urls import path

from . import corrections, publication_views, views

app_name = "reports"

urlpatterns = [
    path("programy/<int:pk>/", views.annual_report_page, name="annual"),
    path("programy/<int:pk>/sprawozdanie.pdf", views.annual_report_pdf, name="annual-pdf"),
    path("urzad/programy/<int:pk>/", views.annual_report_edit, name="annual-edit"),
    path("urzad/programy/<int:pk>/publikacja/", views.annual_report_publish, name="annual-publish"),
    path("publikacje/<int:pk>/", publication_views.publication_page, name="publication"),
    path("publikacje/<int:pk>/dokument.pdf", publication_views.publication_pdf, name="publication-pdf"),
    path("publikacje/<int:pk>/korekta/", corrections.publication_correct_page, name="publication-correct"),
]
