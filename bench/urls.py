"""The app's URLs plus the bare floor views the benchmark compares against."""

from django.urls import path

from helpdesk.urls import urlpatterns as app_urlpatterns

from . import floors

urlpatterns = [path("bench-floor/<str:name>/", floors.floor_view), *app_urlpatterns]
