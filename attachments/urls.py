from django.urls import path

from . import views

app_name = "attachments"

urlpatterns = [
    path("files/<int:pk>/", views.download, name="download"),
    path("files/<int:pk>/thumbnail/", views.thumbnail, name="thumbnail"),
    path("compose/preview/", views.preview, name="preview"),
]
