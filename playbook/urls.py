from django.urls import path

from . import views

app_name = "playbook"

urlpatterns = [
    path("playbook/", views.playbook, name="playbook"),
    path("playbook/parameters/<str:key>/", views.tune, name="tune"),
    path("playbook/export.yaml", views.export, name="export"),
    path("playbook/import/", views.import_playbook, name="import"),
]
