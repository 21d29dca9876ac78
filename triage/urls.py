from django.urls import path

from . import effort_views, views

app_name = "triage"

urlpatterns = [
    path("triage/", views.queue, name="queue"),
    path("triage/bulk/", views.bulk, name="bulk"),
    path("triage/backlog/", views.backlog, name="backlog"),
    path("triage/split/<int:number>/", views.split, name="split"),
    path("triage/effort/<int:number>/", effort_views.estimate, name="effort"),
    path("triage/effort/<int:number>/decide/", effort_views.decide, name="effort_decide"),
    path("triage/authorise/<str:token>/", views.authorise, name="authorise"),
    path("triage/<int:number>/row/", views.row, name="row"),
    path("triage/<int:number>/<slug:action>/", views.decide, name="decide"),
]
