"""E-mail sent once the change it tells of has committed, one message per person, each in the
language that person chose for e-mail."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# Who receives a message: an address and the language to write to it in.
Recipient = tuple[str, str]


def absolute(path: str) -> str:
    """A link for an e-mail: the portal's public address and the path."""
    return settings.PAKS_SITE_URL.rstrip("/") + path


def supported_language(code: str | None) -> str:
    """`code` if it is one of the site's languages (or a variant of one), else the default."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


def render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The subject (first line of `emails/<template>.txt`) and body, in the active language."""
    subject, _, body = render_to_string(f"emails/{template}.txt", dict(context)).partition("\n")
    return subject.strip(), body.strip() + "\n"


def send(
    template: str,
    recipients: Iterable[Recipient],
    context: Callable[[], Mapping[str, Any]],
) -> None:
    """Render `emails/<template>.txt` once per language among the recipients and send each
    person their language's message after commit.

    `context` is called inside each language, so the links it reverses carry that language's
    prefix (`/fr/…`) and what it formats follows that language's conventions.
    """
    by_language: dict[str, set[str]] = defaultdict(set)
    seen: set[str] = set()
    for address, language in sorted(recipients):
        if address and address not in seen:
            seen.add(address)
            by_language[supported_language(language)].add(address)
    messages: list[tuple[str, str, str]] = []
    for language, addresses in sorted(by_language.items()):
        with translation.override(language):
            subject, body = render(template, context())
        # One message per person: nobody learns who else received it.
        messages.extend((subject, body, address) for address in sorted(addresses))
    if not messages:
        return

    def deliver() -> None:
        for subject, body, address in messages:
            send_mail(subject, body, None, [address])

    transaction.on_commit(deliver)
