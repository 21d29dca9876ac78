"""REST API of the knowledge base: read-only articles with search. Requesters and anonymous callers get
public published articles only (the same selector as the help centre); staff see internal ones too."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from . import selectors
from .models import Article


class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.name", read_only=True, default=None)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "slug", "title", "summary", "body", "category", "audience", "updated_at", "url"]


class ArticlePagination(CursorPagination):
    ordering = "-id"
    page_size = 50


class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    """``?q=`` searches (ranked, at most 20 results); otherwise cursor pages, newest first."""

    serializer_class = ArticleSerializer
    permission_classes = [AllowAny]
    pagination_class = ArticlePagination
    lookup_field = "slug"
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Article]:
        return selectors.readable_articles(self.request.user).select_related("category")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if "q" in request.query_params:
            result = selectors.search(self.get_queryset(), request.query_params["q"])
            if not result.query:
                return Response({"q": [result.notice]}, status=400)
            data = ArticleSerializer(result.articles, many=True).data
            return Response({"results": data, "notice": result.notice})
        return super().list(request, *args, **kwargs)
