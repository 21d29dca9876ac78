from django.urls import path

from . import views, views_public

app_name = "mail"

urlpatterns = [
    path("mail/problems/", views.problems, name="problems"),
    path("mail/inbound/<int:pk>/", views.inbound_detail, name="inbound"),
    path("mail/inbound/<int:pk>/raw/", views.inbound_raw, name="inbound_raw"),
    path("mail/inbound/<int:pk>/action/", views.inbound_action, name="inbound_action"),
    path("mail/outgoing/", views.outgoing, name="outgoing"),
    path("mail/outgoing/<int:pk>/send-again/", views.outgoing_send_again, name="outgoing_send_again"),
    path("mail/blocked/", views.blocked, name="blocked"),
    path("mail/blocked/remove/", views.unblock, name="unblock"),
    path("mail/mailboxes/", views.mailboxes, name="mailboxes"),
    path("mail/mailboxes/<int:pk>/", views.mailbox_edit, name="mailbox_edit"),
    path("contact/", views_public.contact, name="contact"),
    path("contact/t/<str:token>/", views_public.contact_ticket, name="contact_ticket"),
    path("inbound/<str:provider>/", views_public.provider_webhook, name="webhook"),
]
