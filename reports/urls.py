from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("programy/<int:pk>/", views.annual_report_page, name="annual"),
    path("programy/<int:pk>/sprawozdanie.pdf", views.annual_report_pdf, name="annual-pdf"),
    path("urzad/programy/<int:pk>/", views.annual_report_edit, name="annual-edit"),
]
