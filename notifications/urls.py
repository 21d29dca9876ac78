from django.urls import path

from . import views, views_product, views_ticket, views_webhooks

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/bell/", views.bell, name="bell"),
    path("notifications/<int:pk>/open/", views.open_notice, name="open"),
    path("notifications/<int:pk>/read/", views.read, name="read"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/preferences/", views.preferences_view, name="preferences"),
    path("notifications/mentions/", views_ticket.mention_help, name="mentions"),
    path("notifications/tickets/<int:number>/presence/", views_ticket.presence_poll, name="presence"),
    path("notifications/tickets/<int:number>/leave/", views_ticket.presence_leave, name="presence_leave"),
    path(
        "notifications/tickets/<int:number>/account-manager/",
        views_ticket.account_manager,
        name="account_manager",
    ),
    path("notifications/tickets/<int:number>/page-oncall/", views_ticket.page_oncall, name="page_oncall"),
    path("product/", views_product.product_list, name="product"),
    path("chat-hooks/", views_webhooks.webhook_list, name="webhooks"),
    path("chat-hooks/new/", views_webhooks.webhook_edit, name="webhook_new"),
    path("chat-hooks/<int:pk>/", views_webhooks.webhook_edit, name="webhook_edit"),
    path("chat-hooks/deliveries/", views_webhooks.delivery_log, name="deliveries"),
    path("chat-hooks/deliveries/<int:pk>/retry/", views_webhooks.delivery_retry, name="delivery_retry"),
]
