"""Domain errors raised by services; screens show ``str(error)`` and the API answers 400 with it."""


class TicketError(Exception):
    """Base class: the request was understood but cannot be carried out. Nothing was stored."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class InvalidInput(TicketError):
    """Missing or malformed input (empty reply, unknown status, hold without days)."""


class IllegalTransition(TicketError):
    """The status machine does not allow this move."""


class StaleTicket(TicketError):
    """Someone else changed the ticket since the screen was rendered."""

    def __init__(
        self,
        message: str = "This ticket changed since you opened it. Reload to see the changes; "
        "your text has been kept.",
    ) -> None:
        super().__init__(message)


def body_too_long(text: str) -> str | None:
    """The message for a reply/note/draft longer than ``HELPDESK_REPLY_MAX_CHARS``, or None when it fits."""
    from django.conf import settings

    limit = settings.HELPDESK_REPLY_MAX_CHARS
    if len(text or "") <= limit:
        return None
    return (
        f"The text is {len(text):,} characters long; the most is {limit:,}. "
        "Shorten it or attach the rest as a file."
    )


def check_body_length(text: str) -> None:
    """Raise ``InvalidInput`` (field ``body``) when ``text`` is over the limit."""
    problem = body_too_long(text)
    if problem:
        raise InvalidInput(problem, field="body")
