"""``manage.py ingest_email < message.eml``: store one message from stdin (an MTA pipe/alias).

Exit status 0 once stored; 75 (EX_TEMPFAIL) when it could not be stored, so the MTA keeps it and retries."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mail.services import store


class Command(BaseCommand):
    help = "Store one email read from standard input and queue it for processing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sender", default="", help="Envelope sender (Postfix: ${sender}).")
        parser.add_argument("--recipient", action="append", default=[], help="Envelope recipient.")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("no message on standard input")
            sys.exit(65)  # EX_DATAERR
        try:
            row = store(
                raw, channel="pipe", envelope_from=options["sender"], envelope_to=options["recipient"]
            )
        except Exception as exc:
            self.stderr.write(f"could not store the message: {exc}")
            sys.exit(75)
        self.stdout.write(f"stored inbound email {row.pk}")
