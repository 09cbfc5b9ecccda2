from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_index, name="index"),
    path("<slug:slug>/", views.import_upload, name="upload"),
    path("<slug:slug>/wzor.<str:file_format>", views.import_template, name="template"),
]
