from django.urls import path

from . import files, views_help, views_rating, views_staff

app_name = "knowledge"

urlpatterns = [
    path("help/", views_help.home, name="help"),
    path("help/search/", views_help.search, name="search"),
    path("help/suggest/", views_help.suggest, name="suggest"),
    path("help/categories/<slug:slug>/", views_help.category, name="category"),
    path("help/articles/<slug:slug>/", views_help.article, name="article"),
    path("help/articles/<slug:slug>/vote/", views_help.vote, name="vote"),
    path("help/articles/<slug:slug>/answered/", views_help.deflect, name="deflect"),
    path("help/files/<int:pk>/", files.download, name="file"),
    path("kb/files/<int:pk>/delete/", files.delete, name="file_delete"),
    path("rate/<str:token>/<str:score>/", views_rating.rate_link, name="rate"),
    path("tickets/<int:number>/rate/", views_rating.portal_rate, name="portal_rate"),
    path("tickets/<int:number>/propose-doc/", views_staff.propose, name="propose"),
    path("kb/", views_staff.article_list, name="articles"),
    path("kb/new/", views_staff.article_edit, name="new"),
    path("kb/<int:pk>/", views_staff.article_edit, name="edit"),
    path("kb/<int:pk>/history/", views_staff.history, name="history"),
    path("kb/proposals/", views_staff.proposal_list, name="proposals"),
    path("kb/proposals/<int:pk>/decline/", views_staff.decline, name="decline"),
    path("kb/measures/", views_staff.measures_view, name="measures"),
    path("kb/measures/panel/", views_staff.measures_panel, name="measures_panel"),
]
