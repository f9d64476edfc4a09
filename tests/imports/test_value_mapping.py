"""A sheet that names a country, organization, theme, SDG or event in a way the portal does
not know ("Min. of ICT") is refused, and its dry run lists each such value with the number
of rows naming it; a value mapping (`import_data --map-value`) reads each one as an existing
value, so that the sheet is imported unedited.
"""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent
from countries.models import Organization
from events.models import Participation
from paks.imports.columns import MappingError
from paks.imports.matching import Matcher, Unmatched, key
from paks.imports.values import KINDS, MappedValue, ValueMapping, parse_values
from paks.models import CaseStudy
from tests.factories import EventFactory
from tests.imports.sheets import CASE_HEADERS, case_rows, write

UNKNOWN = "Unknown values: create them first, or map each to an existing one with --map-value:"


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


def refused_run(*args: str) -> str:
    """The report of a run that refuses rows (and so fails, saving nothing)."""
    out = StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_data", *args, stdout=out)
    return out.getvalue()


# The parser


def test_a_mapping_is_read_one_value_a_line():
    mapping = parse_values(
        "organization: Min. of ICT = Ministry of ICT of Kenya\n"
        "\n"
        "  Country :  Kenia ->  KEN \n"
        "theme: Inclusion   numérique = ICT access\n"
        "SDG: Goal sixteen=16\n"
        "event: Forum: 2025 = forum-2025\n"
    )

    assert mapping.values == (
        MappedValue(1, "organization", "Min. of ICT", "Ministry of ICT of Kenya"),
        MappedValue(3, "country", "Kenia", "KEN"),
        MappedValue(4, "theme", "Inclusion numérique", "ICT access"),
        MappedValue(5, "sdg", "Goal sixteen", "16"),
        MappedValue(6, "event", "Forum: 2025", "forum-2025"),
    )
    assert mapping.replacement("organization", "MIN.  OF ICT") == "Ministry of ICT of Kenya"
    assert mapping.replacement("theme", "inclusion numerique") == "ICT access"
    assert mapping.replacement("country", "Min. of ICT") is None  # another kind's value
    assert mapping.describe() == (
        'organization "Min. of ICT" = "Ministry of ICT of Kenya", country "Kenia" = "KEN", '
        'theme "Inclusion numérique" = "ICT access", sdg "Goal sixteen" = "16", '
        'event "Forum: 2025" = "forum-2025"'
    )


def test_the_command_options_are_read_one_a_line():
    mapping = parse_values(["country:Kenia=KEN", "", "organization:MDG->mdg-ken"])

    assert [(v.line, v.kind, v.value, v.replacement) for v in mapping.values] == [
        (1, "country", "Kenia", "KEN"),
        (3, "organization", "MDG", "mdg-ken"),
    ]


def test_an_empty_mapping_maps_nothing():
    assert not parse_values("\n  \n")
    assert not ValueMapping()
    assert parse_values("") == ValueMapping()
    assert ValueMapping().replacement("country", "Kenia") is None


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "country: Kenia = KEN\nMin. of ICT = Ministry of ICT",
            'Line 2: "Min. of ICT = Ministry of ICT" names no kind: write "kind: value in the '
            'sheet = existing value", the kind one of country, organization, theme, sdg, event.',
        ),
        (
            "ministry: Min. of ICT = Ministry of ICT",
            'Line 1: "ministry" is no kind of value; the kinds: country, organization, theme, '
            "sdg, event.",
        ),
        (
            "\norganization: Min. of ICT",
            'Line 2: "organization: Min. of ICT" is not "kind: value in the sheet = existing '
            'value".',
        ),
        ("organization:  = Ministry of ICT", 'Line 1: "organization:  = Ministry of ICT" gives '),
        (
            "organization: Min. of ICT ->  ",
            'Line 1: "organization: Min. of ICT ->" gives no existing value to read '
            '"Min. of ICT" as.',
        ),
        (
            "organization: Min. of ICT = A\ncountry: Min. of ICT = KEN\norganization: MIN OF ICT"
            " = B\norganization: min. of  ict = C",
            'Line 4: organization "min. of ict" is mapped on line 1 already.',
        ),
    ],
    ids=["no kind", "unknown kind", "no separator", "no value", "no replacement", "twice"],
)
def test_a_wrong_line_is_refused_naming_the_line(text, error):
    with pytest.raises(MappingError) as refused:
        parse_values(text)

    assert str(refused.value).startswith(error)


def test_the_text_of_a_mapping_is_read_back_as_the_same_mapping():
    mapping = parse_values(
        "event: Forum: 2025 -> Forum = 2025\norganization: Ministère  du Numérique = MDG"
    )

    assert mapping.text() == (
        "event: Forum: 2025 = Forum = 2025\norganization: Ministère du Numérique = MDG"
    )
    assert parse_values(mapping.text()) == mapping


# Values as a sheet may write them: no separator, no line break, spaces anywhere.
cell_values = st.text(
    st.characters(exclude_categories=("C", "Zl", "Zp"), exclude_characters="=>"), min_size=1
).map(lambda text: " ".join(text.split()))
replacements = st.text(st.characters(exclude_categories=("C", "Zl", "Zp")), min_size=1).map(
    lambda text: " ".join(text.split())
)
mapped_values = st.lists(
    st.tuples(st.sampled_from(KINDS), cell_values.filter(bool), replacements.filter(bool)),
    max_size=8,
    unique_by=lambda item: (item[0], key(item[1])),
)


@settings(max_examples=200, deadline=None)
@given(items=mapped_values)
def test_any_mapping_reads_back_from_its_text_and_replaces_each_value(items):
    lines = [f"{kind}: {value} = {replacement}" for kind, value, replacement in items]

    mapping = parse_values(lines)

    assert [(v.kind, v.value, v.replacement) for v in mapping.values] == items
    assert parse_values(mapping.text()) == mapping
    for kind, value, replacement in items:
        spread = f"  {value.replace(' ', '   ')} "
        assert mapping.replacement(kind, spread) == replacement


# The matcher


@pytest.fixture
def forum(db):
    return EventFactory(title="Forum on Digital Government 2025", slug="forum-2025")


def test_the_matcher_reads_each_kind_of_mapped_value_as_its_replacement(organizations, forum):
    matcher = Matcher(
        parse_values(
            [
                "country: Kenia = KEN",
                f"organization: Min. of ICT = {organizations[3].slug}",
                "theme: Inclusion numérique = ICT access",
                "sdg: Goal sixteen = 16",
                "event: The Forum = Forum on digital government 2025",
            ]
        )
    )

    assert matcher.country("KENIA").iso3 == "KEN"
    assert matcher.organization("min. of ict") == organizations[3]
    themes = matcher.themes("e-government; Inclusion numerique; Open government data")
    assert [t.slug for t in themes] == ["e-government", "ict-access", "open-government-data"]
    assert [s.number for s in matcher.sdgs("9 | goal  sixteen; SDG 17")] == [9, 16, 17]
    assert matcher.event(" the forum ") == forum
    assert matcher.country("Uganda").iso3 == "UGA"  # values it does not map, as before


@pytest.mark.parametrize(
    ("kind", "cell", "value"),
    [
        ("country", "Kenia", "Kenia"),
        ("organization", "Min. of ICT", "Min. of ICT"),
        ("theme", "e-government; Inclusion numérique", "Inclusion numérique"),
        ("sdg", "16; SDG 42", "SDG 42"),
        ("event", "The Forum", "The Forum"),
    ],
)
def test_a_value_that_names_nothing_says_its_kind_and_value(organizations, kind, cell, value):
    read = {
        "country": Matcher().country,
        "organization": Matcher().organization,
        "theme": Matcher().themes,
        "sdg": Matcher().sdgs,
        "event": Matcher().event,
    }[kind]

    with pytest.raises(Unmatched) as refused:
        read(cell)

    assert (refused.value.kind, refused.value.value) == (kind, value)
    assert f'"{value}"' in str(refused.value)


def test_a_value_that_names_several_rows_says_its_kind_and_value(organizations):
    Organization.objects.filter(pk__in=[o.pk for o in organizations[:2]]).update(acronym="MDG")

    with pytest.raises(Unmatched, match='"mdg" names several organizations') as refused:
        Matcher().organization("mdg")

    assert (refused.value.kind, refused.value.value) == ("organization", "mdg")


def test_a_replacement_that_names_nothing_is_said_so(organizations):
    matcher = Matcher(
        parse_values(
            "organization: Min. of ICT = Ministry of Nothing\n"
            "theme: Inclusion = Nothing at all\n"
            "country: Kenia = Narnia"
        )
    )

    with pytest.raises(Unmatched) as refused:
        matcher.organization("Min. of ICT")
    assert str(refused.value) == (
        'Column "organization": "Min. of ICT" is mapped to "Ministry of Nothing", which names '
        "no organization."
    )
    assert (refused.value.kind, refused.value.value) == ("organization", "Min. of ICT")
    with pytest.raises(Unmatched, match='"inclusion" is mapped to "Nothing at all", which names'):
        matcher.themes("e-government; inclusion", column="themes")
    with pytest.raises(Unmatched, match='"Kenia" is mapped to "Narnia", which is the code or'):
        matcher.country("Kenia", column="host")


# The command


def unknown_sheet(tmp_path, organizations):
    """Five cases naming a ministry, a country, themes and an SDG the portal does not know."""
    rows = case_rows(5, organizations)
    for n in (0, 2, 4):
        rows[n][2] = "Min. of ICT"
    rows[3][2] = "min. of  ICT"  # the same ministry, typed differently
    rows[1][1] = "Atlantis"
    rows[0][6] = "Inclusion numérique; e-government; Données ouvertes"
    rows[2][6] = "inclusion numerique"
    rows[1][7] = "16; SDG 42"
    return write(tmp_path, "cases.csv", CASE_HEADERS, rows)


def test_the_dry_run_lists_each_unknown_value_with_the_rows_naming_it(
    tmp_path, editor, organizations
):
    path = unknown_sheet(tmp_path, organizations)

    report = refused_run("cases", str(path), "--dry-run", "--as", editor.email)

    lines = report.splitlines()
    start = lines.index(UNKNOWN)
    assert lines[start : start + 6] == [
        UNKNOWN,
        '  country "Atlantis": 1 row',
        '  organization "Min. of ICT": 4 rows',
        '  theme "Inclusion numérique": 2 rows',
        '  theme "Données ouvertes": 1 row',
        '  sdg "SDG 42": 1 row',
    ]
    assert lines[start - 1].startswith("line 6: refused: ")  # after the rows
    assert lines[start + 6] == (
        "5 rows: 0 created, 0 updated, 0 skipped, 5 refused. Nothing was saved."
    )
    assert (
        'line 2: refused: Column "organization": no organization is named "Min. of ICT" '
        "(by its name, short name, acronym or slug); import it first.; "
        'Column "themes": no theme is named "Inclusion numérique".; '
        'Column "themes": no theme is named "Données ouvertes".'
    ) in report
    assert not CaseStudy.objects.exists()


def test_a_sheet_whose_values_all_match_lists_none(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.csv", CASE_HEADERS, case_rows(2, organizations))

    report = run("cases", str(path), "--dry-run", "--as", editor.email)

    assert "Unknown values" not in report


def test_mapped_values_import_the_rows_they_refused(tmp_path, editor, organizations):
    path = unknown_sheet(tmp_path, organizations)
    ministry = organizations[2]

    report = run(
        "cases",
        str(path),
        "--as",
        editor.email,
        "--map-value",
        f"organization: Min. of ICT = {ministry.acronym}",
        "--map-value",
        "country:Atlantis->Kenya",
        "--map-value",
        "theme: Inclusion numérique = ICT access",
        "--map-value",
        "theme: Données ouvertes = open-government-data",
        "--map-value",
        "sdg: SDG 42 = 17",
    )

    assert "5 rows: 5 created, 0 updated, 0 skipped, 0 refused." in report
    assert "Unknown values" not in report
    cases = list(CaseStudy.objects.order_by("title"))
    assert [c.organization for c in cases] == [ministry, organizations[1], *[ministry] * 3]
    assert set(cases[0].themes.values_list("slug", flat=True)) == {
        "ict-access",
        "e-government",
        "open-government-data",
    }
    assert list(cases[2].themes.values_list("slug", flat=True)) == ["ict-access"]
    assert cases[1].country.iso3 == "KEN"
    assert set(cases[1].sdgs.values_list("number", flat=True)) == {16, 17}
    assert AuditEvent.objects.get(action="data_imported").detail == (
        "cases from cases.csv: 5 created, 0 updated, 0 skipped; values mapped: "
        f'organization "Min. of ICT" = "{ministry.acronym}", country "Atlantis" = "Kenya", '
        'theme "Inclusion numérique" = "ICT access", '
        'theme "Données ouvertes" = "open-government-data", sdg "SDG 42" = "17"'
    )


def test_a_value_mapped_to_nothing_refuses_its_rows_and_says_so(tmp_path, editor, organizations):
    rows = case_rows(2, organizations)
    rows[1][2] = "Min. of ICT"
    path = write(tmp_path, "cases.csv", CASE_HEADERS, rows)

    report = refused_run(
        "cases",
        str(path),
        "--as",
        editor.email,
        "--map-value",
        "organization: Min. of ICT = Ministry of Nothing",
    )

    assert (
        'line 3: refused: Column "organization": "Min. of ICT" is mapped to "Ministry of '
        'Nothing", which names no organization.'
    ) in report
    assert '  organization "Min. of ICT": 1 row' in report
    assert not CaseStudy.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_wrong_map_value_option_stops_the_command_before_any_row(tmp_path, editor, organizations):
    path = write(tmp_path, "cases.csv", CASE_HEADERS, case_rows(1, organizations))

    with pytest.raises(
        CommandError,
        match=re.escape('--map-value option 2: "ministry" is no kind of value; the kinds: '),
    ):
        run(
            "cases",
            str(path),
            "--as",
            editor.email,
            "--map-value",
            "country: Kenia = KEN",
            "--map-value",
            "ministry: Min. of ICT = MICT",
        )

    assert not CaseStudy.objects.exists()


def test_an_ambiguous_value_is_listed_and_mapped_to_the_one_meant(tmp_path, editor, organizations):
    first, second = organizations[:2]
    Organization.objects.filter(pk__in=[first.pk, second.pk]).update(acronym="MDG")
    rows = case_rows(3, organizations)
    for row in rows:
        row[2] = "MDG"
    path = write(tmp_path, "cases.csv", CASE_HEADERS, rows)

    report = refused_run("cases", str(path), "--dry-run", "--as", editor.email)

    assert f'{UNKNOWN}\n  organization "MDG": 3 rows\n' in report
    assert '"MDG" names several organizations' in report

    report = run(
        "cases", str(path), "--as", editor.email, "--map-value", f"organization:MDG={second.slug}"
    )

    assert "3 rows: 3 created, 0 updated, 0 skipped, 0 refused." in report
    assert set(CaseStudy.objects.values_list("organization", flat=True)) == {second.pk}


def test_participations_count_each_unknown_value_once_a_row(tmp_path, editor, reference, forum):
    headers = ("Event", "Country", "Participants")
    rows = [
        ("Forum 2025", "KEN", 12),
        ("forum 2025", "Narnia", 4),
        (forum.slug, "Narnia", 3),
    ]
    path = write(tmp_path, "participations.csv", headers, rows)

    report = refused_run("participations", str(path), "--dry-run", "--as", editor.email)

    assert f'{UNKNOWN}\n  country "Narnia": 2 rows\n  event "Forum 2025": 2 rows\n' in report

    report = run(
        "participations",
        str(path),
        "--as",
        editor.email,
        "--map-value",
        f"event: Forum 2025 = {forum.title}",
        "--map-value",
        "country: Narnia = UGA",
    )

    assert "3 rows: 2 created, 1 updated, 0 skipped, 0 refused." in report
    assert dict(
        Participation.objects.filter(event=forum).values_list("country__iso3", "participants")
    ) == {"KEN": 12, "UGA": 3}
