"""Atom and RSS feeds of newly published cases and of events."""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

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
        return item.updated_at

    def item_author_name(self, item: CaseStudy) -> str:
        return item.organization.name if item.organization else item.country.name


class LatestCasesAtomFeed(LatestCasesFeed):
    feed_type = Atom1Feed
    subtitle = LatestCasesFeed.description


class EventsFeed(Feed):
    title = "PAKS: events"
    description = "Workshops, conferences, study visits and trainings on e-government."

    def link(self) -> str:
        return reverse("events:list")

    def items(self) -> QuerySet[Event]:
        return Event.objects.public().select_related("country").order_by("-start")[:FEED_SIZE]

    def item_title(self, item: Event) -> str:
        return item.title

    def item_description(self, item: Event) -> str:
        when = item.local_start.strftime("%d %B %Y")
        place = ", ".join(p for p in (item.city, item.country and item.country.name) if p)
        return " · ".join(p for p in (when, place, item.summary) if p)

    def item_pubdate(self, item: Event) -> datetime.datetime | None:
        return item.created_at

    def item_updateddate(self, item: Event) -> datetime.datetime | None:
        return item.updated_at


class EventsAtomFeed(EventsFeed):
    feed_type = Atom1Feed
    subtitle = EventsFeed.description
