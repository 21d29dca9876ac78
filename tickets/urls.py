from django.urls import path

from .views import bulk, canned, links, merge, portal, queues, spam, workspace

app_name = "tickets"

urlpatterns = [
    path("", queues.home, name="home"),
    path("hand-back/", queues.hand_back, name="hand_back"),
    path("notices/read/", queues.notices_read, name="notices_read"),
    path("bulk/", bulk.bulk_apply, name="bulk"),
    path("spam/", spam.spam_list, name="spam"),
    path("queues/", queues.my_queue, name="queue"),
    path("queues/<slug:key>/", queues.queue, name="queue"),
    path("queues/<slug:key>/save-view/", queues.save_view, name="save_view"),
    path("saved-views/<int:pk>/delete/", queues.delete_view, name="delete_view"),
    path("requests/new/", portal.new_request, name="new_request"),
    path("canned/", canned.canned_list, name="canned"),
    path("canned/new/", canned.canned_edit, name="canned_new"),
    path("canned/<int:pk>/", canned.canned_edit, name="canned_edit"),
    path("tickets/<int:number>/", workspace.detail, name="detail"),
    path("tickets/<int:number>/seen/", workspace.seen, name="seen"),
    path("tickets/<int:number>/history/", workspace.history, name="history"),
    path("tickets/<int:number>/reply/", workspace.reply, name="reply"),
    path("tickets/<int:number>/status/", workspace.status, name="status"),
    path("tickets/<int:number>/priority/", workspace.priority, name="priority"),
    path("tickets/<int:number>/assign/", workspace.assign, name="assign"),
    path("tickets/<int:number>/take/", workspace.take, name="take"),
    path("tickets/<int:number>/tags/", workspace.tags, name="tags"),
    path("tickets/<int:number>/follow/", workspace.follow, name="follow"),
    path("tickets/<int:number>/merge/", merge.merge, name="merge"),
    path("tickets/<int:number>/spam/", spam.mark_spam, name="mark_spam"),
    path("tickets/<int:number>/not-spam/", spam.not_spam, name="not_spam"),
    path("tickets/<int:number>/draft/", workspace.draft, name="draft"),
    path("tickets/<int:number>/canned/<int:pk>/", workspace.canned_text, name="canned_text"),
    path("tickets/<int:number>/links/", links.link_add, name="link_add"),
    path("tickets/<int:number>/links/<int:link_id>/remove/", links.link_remove, name="link_remove"),
    path("tickets/<int:number>/links/resolve-children/", links.resolve_children, name="resolve_children"),
]
