"""URLs of local initiative (art. 19b–19h), included by ``grants.urls`` under the same namespace."""

from django.urls import path

from .views import local_initiative as li

urlpatterns = [
    path("inicjatywa-lokalna/", li.public_list, name="li-public"),
    path("inicjatywa-lokalna/moje/", li.my_list, name="li-mine"),
    path("inicjatywa-lokalna/nowy/", li.start, name="li-start"),
    path("inicjatywa-lokalna/wnioski/<int:pk>/", li.edit, name="li-edit"),
    path("inicjatywa-lokalna/wnioski/<int:pk>/zlozenie/", li.submit, name="li-submit"),
    path("inicjatywa-lokalna/wnioski/<int:pk>/potwierdzenie/", li.receipt, name="li-receipt"),
    path("inicjatywa-lokalna/umowy/<int:pk>/sprawozdanie/", li.report, name="li-report"),
    path("inicjatywa-lokalna/umowy/<int:pk>/umowa.pdf", li.agreement_pdf, name="li-agreement-pdf"),
    path("urzad/inicjatywa-lokalna/", li.staff_list, name="li-staff-list"),
    path("urzad/inicjatywa-lokalna/zasady/", li.rules_edit, name="li-rules"),
    path("urzad/inicjatywa-lokalna/wnioski/<int:pk>/", li.case, name="li-case"),
    path("urzad/inicjatywa-lokalna/umowy/<int:pk>/", li.agreement_detail, name="li-agreement"),
]
