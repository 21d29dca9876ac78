"""The knowledge base (issue #18, seed 004 "Answer with a link to a specific relevant doc"): articles with
their version history, categories, doc proposals (Proposed User/Internal Doc, "doc needed" clusters of
duplicate answers), which messages cite which articles, help-centre votes and deflections, and the
requesters' satisfaction ratings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Category(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:category", args=[self.slug])


class Audience(models.TextChoices):
    PUBLIC = "public", "Public (requesters)"
    INTERNAL = "internal", "Internal (staff only)"


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(
        max_length=500, blank=True, help_text="A short paragraph offered when the article is put in a reply."
    )
    body = models.TextField(help_text="Markdown.")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_reviewed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # Maintained on every save (services.save_article): title A, summary B, body C. PostgreSQL only.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "audience", "category"], name="article_visible")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED and self.audience == Audience.PUBLIC


class ArticleVersion(models.Model):
    """One saved state of an article (append-only)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    audience = models.CharField(max_length=8, choices=Audience.choices)
    status = models.CharField(max_length=10, choices=ArticleStatus.choices)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="articleversion_number")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class Proposal(models.Model):
    """A doc someone (or the duplicate-answer job) thinks should exist."""

    class Kind(models.TextChoices):
        USER_DOC = "user_doc", "Proposed User Doc"
        INTERNAL_DOC = "internal_doc", "Proposed Internal Doc"
        DOC_NEEDED = "doc_needed", "Doc needed (duplicate answers)"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Article written"
        DECLINED = "declined", "Declined"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    state = models.CharField(max_length=8, choices=State.choices, default=State.OPEN)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        help_text="Where the article should go.",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_message = models.ForeignKey(
        "tickets.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    examples = models.ManyToManyField("tickets.Message", blank=True, related_name="+")
    # The agent whose answers repeat (doc_needed clusters are per agent).
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="proposal_state")]
        constraints = [
            # One open proposal of a kind per source answer (a second click or a re-tag adds nothing).
            models.UniqueConstraint(
                fields=["kind", "source_message"],
                condition=Q(source_message__isnull=False),
                name="proposal_once_per_message",
            ),
            models.UniqueConstraint(
                fields=["kind", "ticket"],
                condition=Q(source_message__isnull=True, ticket__isnull=False),
                name="proposal_once_per_ticket",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class Citation(models.Model):
    """A message that links to an article (detected in the reply text when it is sent)."""

    message = models.ForeignKey("tickets.Message", on_delete=models.CASCADE, related_name="citations")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "article"], name="citation_once")]
        indexes = [models.Index(fields=["at"], name="citation_at")]

    def __str__(self) -> str:
        return f"message {self.message_id} cites {self.article_id}"


class MissedDoc(models.Model):
    """Escalating down with "Missed Doc Review": the article the lower tier could have found."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="missed_reviews")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "article"], name="misseddoc_once")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} missed {self.article_id}"


class Vote(models.Model):
    """ "Was this helpful?" — one per article per voter (a signed-in user or an anonymous session)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    helpful = models.BooleanField()
    at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "voter"], name="vote_once")]

    def __str__(self) -> str:
        return f"{'+' if self.helpful else '-'} {self.article_id}"


class Deflection(models.Model):
    """ "This answered my question" while typing a new request: a ticket that never had to be opened."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="deflections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    query = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "user"], name="deflection_once")]
        indexes = [models.Index(fields=["at"], name="deflection_at")]

    def __str__(self) -> str:
        return f"deflected by {self.article_id}"


class Rating(models.Model):
    """The requester's satisfaction with a resolved ticket: one per ticket per requester."""

    class Score(models.TextChoices):
        GOOD = "good", "Good"
        OKAY = "okay", "Okay"
        BAD = "bad", "Bad"

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="ratings")
    contact = models.ForeignKey("tickets.Contact", on_delete=models.CASCADE, related_name="+")
    score = models.CharField(max_length=4, choices=Score.choices)
    comment = models.TextField(blank=True)
    # Copied when rated, so the dashboard groups without joining history.
    tier = models.CharField(max_length=10, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "tickets.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "contact"], name="rating_once")]
        indexes = [models.Index(fields=["at"], name="rating_at")]

    def __str__(self) -> str:
        return f"{self.score} on #{self.ticket_id}"


class ArticleFile(models.Model):
    """A file (image, PDF …) shown with an article, stored by the attachments app. Served through the
    help centre's own download view, checked like the article (public ones to anyone)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    attachment = models.OneToOneField(
        "attachments.Attachment", on_delete=models.CASCADE, related_name="article_file"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.attachment} on {self.article_id}"

    def get_absolute_url(self) -> str:
        return reverse("knowledge:file", args=[self.pk])
