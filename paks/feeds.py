"""Atom and RSS feeds of newly published cases and of events."""

import dataclasses
import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext, gettext_lazy

from events.models import Event
from events.translations import show_events, shown_of
from paks.models import CaseStudy
from paks.search.backends import all_matching_cases, check_values
from paks.search.base import FACETS, CaseSearch
from paks.translations import show_cases, shown_of_case

FEED_SIZE = 30


class LatestCasesFeed(Feed):
    """The newest published cases; with a search's words and filters in the query string
    (`?q=e-procurement&group=sids`), the newest that search finds: a search to follow."""

    description = gettext_lazy("Country cases in e-government, as they are published.")

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> CaseSearch:
        search = CaseSearch.from_params(request.GET)
        if search.has_filters:  # values that name nothing are left out, as on the page
            search = check_values(search)
        return dataclasses.replace(search, sort="newest")

    def title(self, search: CaseSearch) -> str:
        if search.q or search.has_filters:
            # Translators: the title of a feed following a search; %(search)s is what it looks
            # for, e.g. “e-procurement” in SIDS, Asia.
            return gettext("PAKS: new good practices for %(search)s") % {"search": describe(search)}
        return gettext("PAKS: newly published good practices")

    def link(self, search: CaseSearch) -> str:
        return f"{reverse('paks:case-list')}{search_query(search)}"

    def items(self, search: CaseSearch) -> list[CaseStudy]:
        cases = (
            all_matching_cases(search)
            if search.q or search.has_filters
            else CaseStudy.objects.published()
        )
        # Each with its published translation into the feed's language, where there is one.
        return show_cases(
            cases.select_related("country", "organization").order_by("-published_at", "-pk")[
                :FEED_SIZE
            ]
        )

    def item_title(self, item: CaseStudy) -> str:
        return f"{shown_of_case(item).title} ({item.country.local_name})"

    def item_description(self, item: CaseStudy) -> str:
        return shown_of_case(item).summary

    def item_pubdate(self, item: CaseStudy) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: CaseStudy) -> datetime.datetime | None:
        # Not updated_at: it moves on every save (a status change, a reload of the demo), and
        # would show a case published in 2007 as changed today. No field records the last
        # change of the text, so an entry is as of its publication.
        return item.published_at

    def item_author_name(self, item: CaseStudy) -> str:
        return item.organization.name if item.organization else item.country.local_name


class LatestCasesAtomFeed(LatestCasesFeed):
    feed_type = Atom1Feed
    subtitle = LatestCasesFeed.description


def search_query(search: CaseSearch) -> str:
    """The search's words and filters as a query string ("" when there are none)."""
    params = [("q", search.q)] if search.q else []
    for name in (*FACETS, "event"):
        params += [(name, str(value)) for value in getattr(search, name)]
    return f"?{urlencode(params)}" if params else ""


def describe(search: CaseSearch) -> str:
    """The search in words: “e-procurement” in SIDS, Asia."""
    values = [*search.group, *search.region, *search.country, *search.theme]
    # Translators: a Sustainable Development Goal by its number, e.g. SDG 16.
    values += [gettext("SDG %(number)s") % {"number": n} for n in search.sdg]
    values += [str(y) for y in search.year] + [*search.organization, *search.event]
    filters = ", ".join(v.upper() if v in ("ldc", "lldc", "sids") else v for v in values)
    if search.q and filters:
        # Translators: a search described: its words, then its filters (“e-procurement” in
        # SIDS, Asia).
        return gettext("“%(words)s” in %(filters)s") % {"words": search.q, "filters": filters}
    if search.q:
        # Translators: a search described by its words alone.
        return gettext("“%(words)s”") % {"words": search.q}
    if filters:
        # Translators: a search described by its filters alone (in SIDS, Asia).
        return gettext("in %(filters)s") % {"filters": filters}
    return ""


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
    title = gettext_lazy("PAKS: events")
    description = gettext_lazy(
        "Workshops, conferences, study visits and trainings on e-government."
    )

    def link(self) -> str:
        return reverse("events:list")

    def items(self) -> list[Event]:
        return show_events(
            Event.objects.public().select_related("country").order_by("-start")[:FEED_SIZE]
        )

    def item_title(self, item: Event) -> str:
        return shown_of(item).title

    def item_description(self, item: Event) -> str:
        when = item.days  # its local dates, first to last, as people write them
        place = ", ".join(p for p in (item.city, item.country and item.country.local_name) if p)
        return " · ".join(p for p in (when, place, shown_of(item).summary) if p)

    def item_pubdate(self, item: Event) -> datetime.datetime | None:
        # The event's own date, in its zone, not when its row was written (the demo's load).
        return item.local_start

    def item_updateddate(self, item: Event) -> datetime.datetime | None:
        return item.local_start


class EventsAtomFeed(EventsFeed):
    feed_type = _EventsAtom
    subtitle = EventsFeed.description
