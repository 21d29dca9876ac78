from django.urls import path

from . import views

app_name = "macros"

urlpatterns = [
    path("macros/", views.macro_list, name="list"),
    path("macros/new/", views.macro_edit, name="new"),
    path("macros/<int:pk>/", views.macro_edit, name="edit"),
    path("tickets/<int:number>/macros/preview/", views.preview, name="preview"),
    path("tickets/<int:number>/macros/<int:pk>/apply/", views.apply, name="apply"),
]
