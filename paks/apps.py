from django.apps import AppConfig


class PaksConfig(AppConfig):
    name = "paks"
    verbose_name = "Knowledge space"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from paks import sync
        from paks.public_cache import public_content_changed

        sync.connect()  # tombstones for mirrors

        # Whatever the public sees; a change to any of them makes cached API reads stale.
        for label in (
            "paks.CaseStudy",
            "paks.CaseTranslation",
            "paks.CaseLink",
            "paks.Document",
            "paks.Contribution",
            "paks.ContributionSpeaker",
            "events.Session",
            "events.Person",
            "taxonomy.Theme",
            "taxonomy.SDG",
            "events.Event",
            "events.EventTranslation",
            "events.EventOrganizer",
            "events.Participation",
            "countries.Country",
            "countries.EGovScore",
            "countries.Organization",
        ):
            model = apps.get_model(label)
            post_save.connect(public_content_changed, sender=model, dispatch_uid=f"pub-s-{label}")
            post_delete.connect(public_content_changed, sender=model, dispatch_uid=f"pub-d-{label}")
        for through in (
            apps.get_model("paks.CaseStudy").themes.through,
            apps.get_model("paks.CaseStudy").sdgs.through,
            apps.get_model("events.Event").themes.through,
            apps.get_model("events.Event").sdgs.through,
            apps.get_model("events.Session").chairs.through,
        ):
            m2m_changed.connect(
                public_content_changed, sender=through, dispatch_uid=f"pub-m-{through}"
            )
