from django.urls import path

from . import views

app_name = "correspondence"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("zalaczniki/<int:pk>/", views.attachment_download, name="attachment"),
    path("<slug:kind>/<int:pk>/", views.thread, name="thread"),
    path("<slug:kind>/<int:pk>/korespondencja.pdf", views.thread_pdf, name="thread-pdf"),
]
