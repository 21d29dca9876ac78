"""Demo articles for the help centre and the workspace's "Suggested docs" (safe to run twice)."""

from __future__ import annotations

from typing import TextIO

from django.contrib.auth import get_user_model

from .models import Article, ArticleStatus, Audience, Category
from .services import save_article

CATEGORIES = (
    ("Getting started", "getting-started", "Accounts, sign-in and your first steps."),
    ("Bookings and calendars", "bookings", "Calendar sync, availability and booking rules."),
    ("For the support team", "internal", "How we work; staff only."),
)

ARTICLES = (
    (
        "getting-started",
        "Reset your password",
        "Use the sign-in page's reset link; the email arrives within a minute.",
        "1. Open the sign-in page and choose **Forgot your password?**\n"
        "2. Enter the email address of your account.\n"
        "3. Follow the link in the email within 24 hours.\n\n"
        "No email? Check your spam folder, then write to support.",
        Audience.PUBLIC,
    ),
    (
        "bookings",
        "Calendar sync is not updating",
        "Reconnect the calendar and wait up to 15 minutes for the first sync.",
        "If bookings do not appear in your calendar:\n\n"
        "- Open **Settings → Calendars** and choose **Reconnect**.\n"
        "- The first sync can take up to 15 minutes.\n"
        "- Make sure the calendar is shared with *write* access.\n\n"
        "Still stuck? Reply to your ticket with a screenshot of the Calendars page.",
        Audience.PUBLIC,
    ),
    (
        "bookings",
        "Set your opening hours and holidays",
        "Opening hours and closed days decide which slots guests can book.",
        "Go to **Settings → Availability**. Add each day's hours (split shifts are fine) and the days "
        "you are closed. Changes apply to new bookings at once.",
        Audience.PUBLIC,
    ),
    (
        "internal",
        "Answering a calendar sync ticket",
        "Check the sync log before escalating; most cases are an expired connection.",
        "1. Open the customer's sync log in the admin.\n"
        "2. An `invalid_grant` error means the connection expired: send the public article "
        "*Calendar sync is not updating*.\n"
        "3. Anything else: escalate to T2 with the log attached.",
        Audience.INTERNAL,
    ),
)


def seed(out: TextIO) -> None:
    if Article.objects.exists():
        return
    owner = get_user_model().objects.filter(username="manager").first()
    categories = {}
    for position, (name, slug, description) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for slug, title, summary, body, audience in ARTICLES:
        data = {
            "title": title,
            "summary": summary,
            "body": body,
            "category": categories[slug],
            "audience": audience,
            "status": ArticleStatus.PUBLISHED,
            "owner": owner,
        }
        save_article(owner, data)
    out.write(f"knowledge demo: {len(ARTICLES)} articles in {len(CATEGORIES)} categories\n")
