"""Statistics of the knowledge space: what it holds by region, theme, SDG and year, the
events by year and kind, and where it has gaps (LDC, LLDC and SIDS without a case)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.charts import Bar, bar_chart
from countries.models import Country
from countries.names import region, sort_key
from events.models import Event
from paks.counts import all_counts, headline
from taxonomy.models import SDG, Theme

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

GROUPS: tuple[tuple[str, _StrPromise], ...] = (
    ("ldc", gettext_lazy("Least developed countries (LDC)")),
    ("lldc", gettext_lazy("Landlocked developing countries (LLDC)")),
    ("sids", gettext_lazy("Small island developing States (SIDS)")),
)


def _search(**params: object) -> str:
    return f"{reverse('paks:case-list')}?{urlencode(params)}"


def _chart(title: str, rows: list[tuple[str, int, str]], column: str = "") -> dict[str, Any]:
    """A bar chart and the rows of its table: (label, count, link). `column` heads the
    table's column of labels (Region, Theme …)."""
    described = "; ".join(f"{label}: {n}" for label, n, _link in rows) or _("None yet.")
    return {
        "title": title,
        "column": column,
        "rows": rows,
        "chart": bar_chart(
            title=title,
            description=described,
            bars=[Bar(label, n, link) for label, n, link in rows],
        )
        if rows
        else None,
    }


class StatisticsView(TemplateView):
    template_name = "paks/statistics.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        kept = all_counts()
        counts, themes, sdgs, years = kept.cases, kept.themes, kept.sdgs, kept.years
        context["headline"] = headline(counts)
        context["charts"] = [
            _chart(
                _("Good practices by region"),
                [(region(name), n, _search(region=name)) for name, n in counts.by_region.items()],
                column=_("Region"),
            ),
            _chart(
                _("Good practices by theme"),
                [
                    (theme.local_name, themes[theme.pk], _search(theme=theme.slug))
                    for theme in sorted(
                        Theme.objects.filter(pk__in=themes), key=lambda t: sort_key(t.local_name)
                    )
                ],
                column=_("Theme"),
            ),
            _chart(
                _("Good practices by Sustainable Development Goal"),
                [
                    (
                        _("SDG %(number)s: %(title)s")
                        % {"number": sdg.number, "title": sdg.local_short_title},
                        sdgs[sdg.pk],
                        _search(sdg=sdg.number),
                    )
                    for sdg in SDG.objects.filter(pk__in=sdgs).order_by("number")
                ],
                column=_("Sustainable Development Goal"),
            ),
            _chart(
                _("Good practices by year"),
                [(str(year), n, _search(year=year)) for year, n in sorted(years.items())],
                column=_("Year"),
            ),
        ]
        context["events"] = self._events()
        context["gaps"] = self._gaps(set(counts.by_country))
        return context

    def _events(self) -> dict[str, Any]:
        """Public events per year and kind: a chart per year and a table of years by kind."""
        rows = (
            Event.objects.public()
            .annotate(y=ExtractYear("start"))
            .values_list("y", "kind")
            .annotate(n=Count("pk"))
            .order_by("y", "kind")
        )
        table: dict[int, dict[str, int]] = {}
        for year, kind, n in rows:
            table.setdefault(year, {})[kind] = n
        kinds = [
            (k, label) for k, label in Event.Kind.choices if any(k in r for r in table.values())
        ]
        per_year = [
            (str(year), sum(per.values()), f"{reverse('events:list')}?when=past&year={year}")
            for year, per in table.items()
        ]
        return {
            **_chart(_("Events by year"), per_year, column=_("Year")),
            "kinds": kinds,
            "table": [
                (year, [per.get(k, 0) for k, _label in kinds]) for year, per in table.items()
            ],
        }

    def _gaps(self, with_cases: set[int]) -> list[dict[str, Any]]:
        """The countries of each group with no published case yet: where the space has gaps."""
        countries = (
            Country.objects.filter(is_ldc=True)
            | Country.objects.filter(is_lldc=True)
            | Country.objects.filter(is_sids=True)
        )
        found = list(countries.order_by("name"))
        return [
            {
                "flag": flag,
                "title": title,
                "members": sum(1 for c in found if getattr(c, f"is_{flag}")),
                "missing": [
                    c for c in found if getattr(c, f"is_{flag}") and c.pk not in with_cases
                ],
            }
            for flag, title in GROUPS
        ]
