from django.urls import path

from . import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/uwaga/", views.comment_edit, name="comment-create"),
    path("<int:pk>/uwaga/<int:comment_pk>/", views.comment_edit, name="comment-edit"),
    path("<int:pk>/sprawozdanie/", views.consultation_report, name="report"),
    path("<int:pk>/sprawozdanie.pdf", views.consultation_report_pdf, name="report-pdf"),
    path("urzad/", views.staff_consultation_list, name="staff-list"),
    path("urzad/nowe/", views.consultation_create, name="create"),
    path("urzad/<int:pk>/", views.staff_consultation_detail, name="staff-detail"),
    path("urzad/<int:pk>/uwagi/<int:comment_pk>/stanowisko/", views.comment_respond, name="respond"),
    path("urzad/<int:pk>/<slug:action>/", views.consultation_transition, name="transition"),
]
