from django.urls import path

from .views import offers, public, staff

app_name = "grants"

urlpatterns = [
    path("", public.call_list, name="call-list"),
    path("kanal.xml", public.CallFeed(), name="call-feed"),
    path("<int:pk>/", public.call_detail, name="call-detail"),
    path("<int:pk>/ogloszenie.pdf", public.call_pdf, name="call-pdf"),
    path("<int:call_pk>/oferta/", offers.offer_start, name="offer-start"),
    path("oferty/", offers.my_offers, name="my-offers"),
    path("oferty/<int:pk>/", offers.offer_edit, name="offer-edit"),
    path("oferty/<int:pk>/zlozenie/", offers.offer_submit, name="offer-submit"),
    path("oferty/<int:pk>/wycofanie/", offers.offer_withdraw, name="offer-withdraw"),
    path("oferty/<int:pk>/zalaczniki/", offers.attachment_add, name="attachment-add"),
    path("oferty/<int:pk>/wersje/<int:number>/potwierdzenie/", offers.receipt, name="receipt"),
    path("oferty/<int:pk>/wersje/<int:number>/potwierdzenie.pdf", offers.receipt_pdf, name="receipt-pdf"),
    path("oferty/<int:pk>/wersje/<int:number>/oferta.pdf", offers.version_pdf, name="version-pdf"),
    path("zalaczniki/<int:pk>/", offers.attachment_download, name="attachment-download"),
    path("urzad/", staff.staff_call_list, name="staff-call-list"),
    path("urzad/nowy/", staff.call_edit, name="call-create"),
    path("urzad/<int:pk>/", staff.call_dashboard, name="call-dashboard"),
    path("urzad/<int:pk>/oferty.csv", staff.call_offers_csv, name="call-offers-csv"),
    path("urzad/<int:pk>/edycja/", staff.call_edit, name="call-edit"),
    path("urzad/<int:pk>/srodki/", staff.call_budget, name="call-budget"),
    path("urzad/<int:pk>/kryteria/", staff.call_criteria, name="call-criteria"),
    path("urzad/<int:pk>/zalaczniki/", staff.call_required_attachments, name="call-attachments"),
    path("urzad/<int:pk>/<slug:action>/", staff.call_transition, name="call-transition"),
    path("urzad/oferty/<int:pk>/", staff.offer_review, name="offer-review"),
    # commission and scoring (views/commission.py)
    # awards, results, updated offers and agreements (views/awards.py)
    # small grants and own-initiative offers (views/small_grants.py)
    # grant reports, settlement and controls (views/grant_reports.py)
]
