"""How a delivery is signed, and how a receiver checks it (the README's "Webhooks" says the
same in prose). The signed text is `{timestamp}.{body}`, so a captured request cannot be
replayed later with a fresh timestamp."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

ID_HEADER = "PAKS-Webhook-Id"
TIMESTAMP_HEADER = "PAKS-Webhook-Timestamp"
SIGNATURE_HEADER = "PAKS-Webhook-Signature"
TOLERANCE_SECONDS = 300  # receivers refuse older timestamps


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return "v1=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def headers(*, secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": "PAKS-Webhooks/1",
        ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
    }


def verify(*, secret: str, timestamp: str, body: bytes, received: str, now: float) -> bool:
    """What a receiver does: a recent timestamp and the same signature, compared in constant
    time (then it drops any id it has already handled)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), received)
