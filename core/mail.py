"""E-mail sent once the change it tells of has committed, one message per person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    """A link for an e-mail: the portal's public address and the path."""
    return settings.PAKS_SITE_URL.rstrip("/") + path


def send(template: str, recipients: Iterable[str], context: dict[str, Any]) -> None:
    """Render `emails/<template>.txt` (first line: the subject) and send it after commit."""
    to = sorted(set(recipients))
    if not to:
        return
    subject, _, body = render_to_string(f"emails/{template}.txt", context).partition("\n")
    # One message per person: nobody learns who else received it.
    messages = [(subject.strip(), body.strip() + "\n", address) for address in to]

    def deliver() -> None:
        for subject_line, text, address in messages:
            send_mail(subject_line, text, None, [address])

    transaction.on_commit(deliver)
