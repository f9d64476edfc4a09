"""The connection the search reads with: the replica for a public read when one is
configured (`core.replicas`), the primary otherwise. Raw statements ask here, as the ORM
asks the router."""

from __future__ import annotations

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from paks.search.models import CaseIndex


def reading() -> BaseDatabaseWrapper:
    return connections[router.db_for_read(CaseIndex)]
