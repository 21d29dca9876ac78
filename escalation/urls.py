from django.urls import path

from . import views

app_name = "escalation"

urlpatterns = [
    path("known-issues/", views.known_issues, name="known_issues"),
    path("known-issues/<int:number>/", views.known_issue, name="known_issue"),
    path("known-issues/<int:number>/edit/", views.known_issue_edit, name="known_issue_edit"),
    path("known-issues/<int:number>/link/", views.known_issue_link, name="known_issue_link"),
    path("known-issues/<int:number>/post/", views.known_issue_post, name="known_issue_post"),
    path("known-issues/<int:number>/resolve/", views.known_issue_resolve, name="known_issue_resolve"),
    path("oncall/", views.rota, name="rota"),
    path("oncall/rota/add/", views.rota_add, name="rota_add"),
    path("oncall/shifts/add/", views.shift_add, name="shift_add"),
    path("status/", views.status_page, name="status_page"),
    path("escalation/review/", views.review, name="review"),
    path("escalation/tickets/<int:number>/", views.ticket_page, name="ticket"),
    path("escalation/tickets/<int:number>/up/", views.escalate_up, name="escalate_up"),
    path("escalation/tickets/<int:number>/down/", views.escalate_down, name="escalate_down"),
    path("escalation/tickets/<int:number>/link/", views.link_known_issue, name="link"),
    path("escalation/tickets/<int:number>/unlink/", views.unlink_known_issue, name="unlink"),
    path("escalation/tickets/<int:number>/engagement/", views.to_engagement, name="engagement"),
    path("escalation/tickets/<int:number>/product/", views.to_product, name="product"),
    path("escalation/tickets/<int:number>/marketing/", views.to_marketing, name="marketing"),
    path("escalation/tickets/<int:number>/ack/", views.acknowledge, name="ack"),
]
