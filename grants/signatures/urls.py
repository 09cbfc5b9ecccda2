from django.urls import path

from . import views

app_name = "signatures"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("dokumenty/<int:pk>/pdf/", views.document_pdf, name="document-pdf"),
    path("dokumenty/<int:pk>/podpisany/", views.copy_upload, name="copy-upload"),
    path("dokumenty/<int:pk>/pieczec/", views.agreement_seal, name="agreement-seal"),
    path("podpisane/<int:pk>/", views.copy_detail, name="copy-detail"),
]
