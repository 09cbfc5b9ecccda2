from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("przeczytane/", views.notifications_read_all, name="read-all"),
    path("ustawienia/", views.preferences, name="preferences"),
]

urlpatterns += [
    path("subskrypcja/", views.subscribe, name="subscribe"),
    path("subskrypcja/wyslano/", views.subscribe_sent, name="subscribe-sent"),
    path("subskrypcja/potwierdz/<str:token>/", views.subscription_confirm_view, name="subscription-confirm"),
    path("wypisz/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
