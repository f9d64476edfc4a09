"""Atom and RSS feeds of newly published cases and of events."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from events.models import Event
from paks.models import CaseStudy

FEED_SIZE = 30


class LatestCasesFeed(Feed):
    title = "PAKS: newly published good practices"
    description = "Country cases in e-government, as they are published."

    def link(self) -> str:
        return reverse("paks:case-list")

    def items(self) -> QuerySet[CaseStudy]:
        return (
            CaseStudy.objects.published()
            .select_related("country", "organization")
            .order_by("-published_at")[:FEED_SIZE]
        )

    def item_title(self, item: CaseStudy) -> str:
        return f"{item.title} ({item.country.name})"

    def item_description(self, item: CaseStudy) -> str:
        return item.summary

    def item_pubdate(self, item: CaseStudy) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: CaseStudy) -> datetime.datetime | None:
        # Not updated_at: it moves on every save (a status change, a reload of the demo), and
        # would show a case published in 2007 as changed today. No field records the last
        # change of the text, so an entry is as of its publication.
        return item.published_at

    def item_author_name(self, item: CaseStudy) -> str:
        return item.organization.name if item.organization else item.country.name


class LatestCasesAtomFeed(LatestCasesFeed):
    feed_type = Atom1Feed
    subtitle = LatestCasesFeed.description


class _UpdatedNotAfterNow(SyndicationFeed):
    """A feed's own date is its latest entry's; an event's entry is dated by its start, which
    may be ahead: the feed itself was still last changed no later than now."""

    def latest_post_date(self) -> datetime.datetime:
        return min(super().latest_post_date(), timezone.now())


class _EventsRss(_UpdatedNotAfterNow, Rss201rev2Feed):
    pass


class _EventsAtom(_UpdatedNotAfterNow, Atom1Feed):
    pass


class EventsFeed(Feed):
    feed_type: type[SyndicationFeed] = _EventsRss
    title = "PAKS: events"
    description = "Workshops, conferences, study visits and trainings on e-government."

    def link(self) -> str:
        return reverse("events:list")

    def items(self) -> QuerySet[Event]:
        return Event.objects.public().select_related("country").order_by("-start")[:FEED_SIZE]

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        when = item.days  # its local dates, first to last, as people write them
        place = ", ".join(p for p in (item.city, item.country and item.country.name) if p)
        return " · ".join(p for p in (when, place, item.summary) if p)

    def item_pubdate(self, item: Event) -> datetime.datetime | None:
        # The event's own date, in its zone, not when its row was written (the demo's load).
        return item.local_start

    def item_updateddate(self, item: Event) -> datetime.datetime | None:
        return item.local_start


class EventsAtomFeed(EventsFeed):
    feed_type = _EventsAtom
    subtitle = EventsFeed.description
