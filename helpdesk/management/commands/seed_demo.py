"""``manage.py seed_demo``: load each app's demo data, in order (every step is safe to run twice)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from escalation import demo as escalation_demo
from knowledge import demo as knowledge_demo
from mail import demo as mail_demo
from partners import demo as partners_demo
from sla import demo as sla_demo
from tickets import demo as tickets_demo
from tickets import outbox
from triage import demo as triage_demo


class Command(BaseCommand):
    help = "Load demo organizations, staff, tickets and each app's demo data (safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tickets",
            type=int,
            default=300,
            help="At most this many finished demo tickets (first run only).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(
            settings, "HELPDESK_PRODUCTION", False
        ):  # demo logins (admin / demo) on a live site: never
            raise CommandError(
                "Demo data is never loaded under production settings (helpdesk.settings_prod)."
            )
        tickets_demo.seed(self.stdout, tickets=options["tickets"], ago=sla_demo.business_ago)
        triage_demo.seed(self.stdout)
        escalation_demo.seed(self.stdout)
        sla_demo.seed(self.stdout)
        knowledge_demo.seed(self.stdout)
        mail_demo.seed(self.stdout)
        partners_demo.seed(self.stdout)
        # The demo's history wrote its notices to the outbox: deliver them now (to the mail files in the
        # embedded default), so the first real email is not queued behind them.
        delivered = 0
        while sent := outbox.send_pending():
            delivered += sent
        if delivered:
            self.stdout.write(f"demo notices delivered: {delivered}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins, password '{tickets_demo.DEMO_PASSWORD}':"))
        for username, role in tickets_demo.logins():
            self.stdout.write(f"  {username:<9} {role}")
