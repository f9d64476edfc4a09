from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The index version's token while a migration waits for the index to be made again.
REBUILD_PENDING = "rebuild-pending"


class SearchConfig(AppConfig):
    name = "paks.search"
    label = "search"
    verbose_name = "search index"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from paks.search import signals

        signals.connect()
        post_migrate.connect(rebuild_after_migrations, sender=self)


def rebuild_after_migrations(sender: AppConfig, using: str = "default", **_: Any) -> None:
    """Rebuild the index where a migration changed how it is made (and left the version's
    token REBUILD_PENDING), once every migration is applied: the code that makes the rows
    then meets the schema it was written for, whatever order the apps' migrations ran in,
    and a partial `migrate search` leaves it to the next full one."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from paks.search.index import rebuild
    from paks.search.models import IndexVersion

    if not IndexVersion.objects.using(using).filter(pk=1, token=REBUILD_PENDING).exists():
        return
    executor = MigrationExecutor(connections[using])
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return  # migrations still to apply
    rebuild()  # a new token; nothing to index on a database without published cases
