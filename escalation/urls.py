from django.urls import path

from .views import handback, known_issues, oncall, pages, ticket

app_name = "escalation"

urlpatterns = [
    path("known-issues/", known_issues.known_issues, name="known_issues"),
    path("known-issues/<int:number>/", known_issues.known_issue, name="known_issue"),
    path("known-issues/<int:number>/edit/", known_issues.known_issue_edit, name="known_issue_edit"),
    path("known-issues/<int:number>/link/", known_issues.known_issue_link, name="known_issue_link"),
    path("known-issues/<int:number>/post/", known_issues.known_issue_post, name="known_issue_post"),
    path("known-issues/<int:number>/resolve/", known_issues.known_issue_resolve, name="known_issue_resolve"),
    path("oncall/", oncall.rota, name="rota"),
    path("oncall/handback/", handback.handback, name="handback"),
    path("oncall/rota/add/", oncall.rota_add, name="rota_add"),
    path("oncall/shifts/add/", oncall.shift_add, name="shift_add"),
    path("status/", pages.status_page, name="status_page"),
    path("escalation/review/", pages.review, name="review"),
    path("escalation/tickets/<int:number>/", ticket.ticket_page, name="ticket"),
    path("escalation/tickets/<int:number>/up/", ticket.escalate_up, name="escalate_up"),
    path("escalation/tickets/<int:number>/down/", ticket.escalate_down, name="escalate_down"),
    path("escalation/tickets/<int:number>/link/", ticket.link_known_issue, name="link"),
    path("escalation/tickets/<int:number>/unlink/", ticket.unlink_known_issue, name="unlink"),
    path("escalation/tickets/<int:number>/engagement/", ticket.to_engagement, name="engagement"),
    path("escalation/tickets/<int:number>/product/", ticket.to_product, name="product"),
    path("escalation/tickets/<int:number>/marketing/", ticket.to_marketing, name="marketing"),
    path("escalation/tickets/<int:number>/ack/", ticket.acknowledge, name="ack"),
]
