from django.contrib import admin

from .models import Article, ArticleVersion, Category, Deflection, Proposal, Rating


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


class VersionInline(admin.TabularInline):
    model = ArticleVersion
    extra = 0
    can_delete = False
    readonly_fields = ["number", "title", "status", "audience", "edited_by", "edited_at"]
    fields = readonly_fields


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Read-mostly: edits go through the staff editor so every save is a version and search is updated."""

    list_display = ["title", "category", "audience", "status", "owner", "last_reviewed_on", "updated_at"]
    list_filter = ["audience", "status", "category"]
    search_fields = ["title"]
    readonly_fields = ["title", "slug", "summary", "body", "audience", "status", "version"]
    inlines = [VersionInline]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "state", "agent", "created_at"]
    list_filter = ["kind", "state"]
    raw_id_fields = ["ticket", "source_message", "examples", "article"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["ticket", "score", "tier", "agent", "organization", "at"]
    list_filter = ["score", "tier"]
    raw_id_fields = ["ticket", "contact"]


admin.site.register(Deflection)
