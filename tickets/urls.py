from django.urls import path

from . import canned_views, portal_views, views, workspace_views

app_name = "tickets"

urlpatterns = [
    path("", views.home, name="home"),
    path("hand-back/", views.hand_back, name="hand_back"),
    path("notices/read/", views.notices_read, name="notices_read"),
    path("queues/", views.my_queue, name="queue"),
    path("queues/<slug:key>/", views.queue, name="queue"),
    path("queues/<slug:key>/save-view/", views.save_view, name="save_view"),
    path("saved-views/<int:pk>/delete/", views.delete_view, name="delete_view"),
    path("requests/new/", portal_views.new_request, name="new_request"),
    path("canned/", canned_views.canned_list, name="canned"),
    path("canned/new/", canned_views.canned_edit, name="canned_new"),
    path("canned/<int:pk>/", canned_views.canned_edit, name="canned_edit"),
    path("tickets/<int:number>/", workspace_views.detail, name="detail"),
    path("tickets/<int:number>/reply/", workspace_views.reply, name="reply"),
    path("tickets/<int:number>/status/", workspace_views.status, name="status"),
    path("tickets/<int:number>/priority/", workspace_views.priority, name="priority"),
    path("tickets/<int:number>/assign/", workspace_views.assign, name="assign"),
    path("tickets/<int:number>/take/", workspace_views.take, name="take"),
    path("tickets/<int:number>/tags/", workspace_views.tags, name="tags"),
    path("tickets/<int:number>/follow/", workspace_views.follow, name="follow"),
    path("tickets/<int:number>/draft/", workspace_views.draft, name="draft"),
    path("tickets/<int:number>/canned/<int:pk>/", workspace_views.canned_text, name="canned_text"),
]
