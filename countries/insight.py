"""Where a country stands in the UN E-Government Survey: its history beside the averages of
its region and of its UN groupings, said in words and drawn as charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Q
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.charts import Series, legend, line_chart
from countries.models import Country, EGovScore

SOURCE = gettext_lazy("United Nations E-Government Survey (UN DESA)")
SOURCE_URL = "https://publicadministration.un.org/egovkb/en-us/Data-Center"
METHOD_NOTE = gettext_lazy(
    "The index was called the E-Government Readiness Index until the 2008 edition and has "
    "been the E-Government Development Index (EGDI) since 2010. Its three components, the "
    "Online Service, Human Capital and Telecommunication Infrastructure indices, have had "
    "their indicators revised between editions (the Human Capital Index, for one, added "
    "years of schooling in 2014), and each edition's figures are relative to the countries "
    "assessed in that edition. Read a change between editions as a change of standing "
    "among countries rather than as an exact measure."
)
GROUP_NAMES = {
    "ldc": pgettext_lazy("abbreviation of Least developed countries", "LDC"),
    "lldc": pgettext_lazy("abbreviation of Landlocked developing countries", "LLDC"),
    "sids": pgettext_lazy("abbreviation of Small island developing States", "SIDS"),
}
COMPONENTS = (
    ("osi", gettext_lazy("Online Service Index")),
    ("hci", gettext_lazy("Human Capital Index")),
    ("tii", gettext_lazy("Telecommunication Infrastructure Index")),
    ("epi", gettext_lazy("E-Participation Index")),
)


def _index(value: float) -> str:
    """An index (0 to 1) as the language writes a number: 0.85, 0,85."""
    return number_format(value, 2)


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class Edition:
    """One survey year: the country's figures (None where it was not assessed) and the
    averages it is compared with, by name."""

    year: int
    score: EGovScore | None
    averages: dict[str, float | None] = field(default_factory=dict)


@dataclass
class History:
    country: Country
    editions: list[Edition]
    comparisons: list[str]  # names of the averages, in the order they are drawn

    @property
    def scored(self) -> list[Edition]:
        return [e for e in self.editions if e.score is not None]

    @property
    def egdi_series(self) -> list[Series]:
        own = Series(
            self.country.local_name,
            [(e.year, _float(e.score.egdi) if e.score else None) for e in self.editions],
            emphasis=True,
        )
        others = [
            Series(name, [(e.year, e.averages.get(name)) for e in self.editions])
            for name in self.comparisons
        ]
        return [own, *others]

    @property
    def component_series(self) -> list[Series]:
        return [
            Series(
                label,
                [
                    (e.year, _float(getattr(e.score, name)) if e.score else None)
                    for e in self.editions
                ],
            )
            for name, label in COMPONENTS
        ]

    def egdi_chart(self) -> SafeString:
        return line_chart(
            title=_("E-Government Development Index of %(country)s, %(first)s to %(last)s")
            % {
                "country": self.country.local_name,
                "first": self.editions[0].year,
                "last": self.editions[-1].year,
            },
            description=self.summary(),
            series=self.egdi_series,
            x_ticks=[e.year for e in self.editions],
            y_ticks=[0, 0.25, 0.5, 0.75, 1],
        )

    def egdi_legend(self) -> SafeString:
        return legend(self.egdi_series)

    def components_chart(self) -> SafeString:
        return line_chart(
            title=_("Components of the index for %(country)s")
            % {"country": self.country.local_name},
            description=_(
                "The Online Service, Human Capital, Telecommunication Infrastructure "
                "and E-Participation indices of each edition, from 0 to 1; the table below gives "
                "every figure."
            ),
            series=self.component_series,
            x_ticks=[e.year for e in self.editions],
            y_ticks=[0, 0.25, 0.5, 0.75, 1],
        )

    def components_legend(self) -> SafeString:
        return legend(self.component_series)

    def summary(self) -> str:
        """The history in a sentence or two: from where to where, and against the averages."""
        scored = self.scored
        if not scored:
            return _("%(country)s has not been assessed by the survey.") % {
                "country": self.country.local_name
            }
        first, last = scored[0], scored[-1]
        assert first.score is not None and last.score is not None
        start, end = float(first.score.egdi), float(last.score.egdi)
        figures = {
            "start": _index(start),
            "end": _index(end),
            "first": first.year,
            "last": last.year,
            "rank": last.score.rank,
        }
        ranked = bool(last.score.rank)
        if first is last:
            sentence = _("EGDI %(end)s in %(last)s.")
        elif end > start + 0.005:
            if ranked:
                sentence = _(
                    "EGDI rose from %(start)s in %(first)s to %(end)s in %(last)s, "
                    "ranked %(rank)s in %(last)s."
                )
            else:
                sentence = _("EGDI rose from %(start)s in %(first)s to %(end)s in %(last)s.")
        elif end < start - 0.005:
            if ranked:
                sentence = _(
                    "EGDI fell from %(start)s in %(first)s to %(end)s in %(last)s, "
                    "ranked %(rank)s in %(last)s."
                )
            else:
                sentence = _("EGDI fell from %(start)s in %(first)s to %(end)s in %(last)s.")
        elif ranked:
            sentence = _(
                "EGDI stayed near %(end)s from %(first)s to %(last)s, ranked %(rank)s in %(last)s."
            )
        else:
            sentence = _("EGDI stayed near %(end)s from %(first)s to %(last)s.")
        sentences = [sentence % figures]
        sentences += [self._standing(name) for name in self.comparisons]
        return " ".join(s for s in sentences if s)

    def _standing(self, name: str) -> str:
        """Above or below this average in the latest edition, and since when."""
        pairs = [
            (e.year, float(e.score.egdi), e.averages[name])
            for e in self.scored
            if e.score is not None and e.averages.get(name) is not None
        ]
        if not pairs:
            return ""
        above = [own > float(avg) for _year, own, avg in pairs if avg is not None]
        now = above[-1]
        since = len(above) - 1
        while since > 0 and above[since - 1] == now:
            since -= 1
        if since == 0:
            if now:
                sentence = _("Above the %(average)s in every edition since %(year)s.")
            else:
                sentence = _("Below the %(average)s in every edition since %(year)s.")
            return sentence % {"average": name, "year": pairs[0][0]}
        if now:
            return _("Above the %(average)s since %(year)s.") % {
                "average": name,
                "year": pairs[since][0],
            }
        return _("Below the %(average)s since %(year)s.") % {
            "average": name,
            "year": pairs[since][0],
        }


def survey_history(country: Country) -> History:
    """The country's editions with the averages of its region and groups: one query for the
    averages, and the country's scores (prefetched by the page)."""
    scores = {s.survey_year: s for s in country.egov_scores.all()}
    comparisons: dict[str, Q] = {}
    # Translators: the average of a region's or a UN grouping's countries, e.g. "Asia average".
    average = _("%(group)s average")
    if country.region_name:
        comparisons[average % {"group": country.local_region_name}] = Q(
            country__region_name=country.region_name
        )
    for flag, label in GROUP_NAMES.items():
        if getattr(country, f"is_{flag}"):
            comparisons[average % {"group": label}] = Q(**{f"country__is_{flag}": True})
    aliases = {name: f"average_{n}" for n, name in enumerate(comparisons)}
    rows = (
        EGovScore.objects.order_by("survey_year")
        .values("survey_year")
        .annotate(**{aliases[name]: Avg("egdi", filter=q) for name, q in comparisons.items()})
    )
    editions = [
        Edition(
            year=row["survey_year"],
            score=scores.get(row["survey_year"]),
            averages={name: _float(row[alias]) for name, alias in aliases.items()},  # type: ignore[literal-required]
        )
        for row in rows
    ]
    return History(country=country, editions=editions, comparisons=list(comparisons))
