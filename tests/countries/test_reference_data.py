"""Loading the UN reference tables: countries, survey scores, SDGs and themes."""

import time
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from countries.models import Country, EGovScore
from countries.reference import load_countries, load_egov_scores
from taxonomy.models import SDG, Theme
from taxonomy.reference import load_sdgs, load_themes

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    return {
        "countries": load_countries(),
        "scores": load_egov_scores(),
        "sdgs": load_sdgs(),
        "themes": load_themes(),
    }


def test_all_248_m49_countries_are_loaded(loaded):
    assert loaded["countries"].created == 248
    assert Country.objects.count() == 248


def test_un_groupings_have_the_sizes_of_the_m49_table(loaded):
    assert Country.objects.ldc().count() == 45
    assert Country.objects.lldc().count() == 32
    assert Country.objects.sids().count() == 53


def test_bhutan_is_landlocked_but_no_longer_an_ldc(loaded):
    bhutan = Country.objects.get(iso3="BTN")

    assert bhutan.is_lldc
    assert not bhutan.is_ldc
    assert bhutan.groups == ["LLDC"]


def test_fiji_is_sids_and_bangladesh_is_ldc(loaded):
    assert Country.objects.get(iso3="FJI").is_sids
    assert Country.objects.get(iso3="BGD").is_ldc


def test_country_codes_regions_and_slug_come_from_the_table(loaded):
    bangladesh = Country.objects.get(iso3="BGD")

    assert (bangladesh.iso2, bangladesh.m49, bangladesh.name) == ("BD", "050", "Bangladesh")
    assert bangladesh.slug == "bangladesh"
    assert (bangladesh.region_code, bangladesh.region_name) == ("142", "Asia")
    assert (bangladesh.subregion_code, bangladesh.subregion_name) == ("034", "Southern Asia")
    assert bangladesh.intermediate_region_name == ""


def test_first_column_header_is_read_despite_the_byte_order_mark(loaded):
    # Algeria is the first row; its M49 code 012 keeps its leading zero.
    algeria = Country.objects.get(iso3="DZA")

    assert algeria.m49 == "012"
    assert algeria.region_name == "Africa"


def test_intermediate_region_is_kept_where_the_table_has_one(loaded):
    ethiopia = Country.objects.get(iso3="ETH")

    assert (ethiopia.subregion_name, ethiopia.intermediate_region_name) == (
        "Sub-Saharan Africa",
        "Eastern Africa",
    )


def test_all_2316_survey_scores_are_loaded(loaded):
    assert loaded["scores"].created == 2316
    assert EGovScore.objects.count() == 2316
    assert EGovScore.objects.filter(country__iso3="BGD").count() == 12


def test_score_values_match_the_csv_row(loaded):
    score = EGovScore.objects.get(country__iso3="BGD", survey_year=2024)

    # 2024,BGD,Bangladesh,100,0.65696,0.61640,0.73744,0.58337,0.65010
    assert score.rank == 100
    assert score.egdi == Decimal("0.65696")
    assert score.epi == Decimal("0.61640")
    assert score.osi == Decimal("0.73744")
    assert score.hci == Decimal("0.58337")
    assert score.tii == Decimal("0.65010")


def test_empty_rank_is_stored_as_none(loaded):
    assert EGovScore.objects.get(country__iso3="MNE", survey_year=2003).rank is None


def test_loading_twice_changes_nothing_and_reports_nothing_created(loaded):
    before = EGovScore.objects.get(country__iso3="BGD", survey_year=2024)

    again = [load_countries(), load_egov_scores(), load_sdgs(), load_themes()]

    assert [r.created for r in again] == [0, 0, 0, 0]
    assert [r.updated for r in again] == [0, 0, 0, 0]
    assert [r.unchanged for r in again] == [248, 2316, 17, Theme.objects.count()]
    assert Country.objects.count() == 248
    assert EGovScore.objects.count() == 2316
    after = EGovScore.objects.get(country__iso3="BGD", survey_year=2024)
    assert (after.pk, after.egdi, after.rank) == (before.pk, before.egdi, before.rank)


def test_reloading_corrects_a_changed_row_and_reports_it_updated(loaded):
    Country.objects.filter(iso3="BTN").update(is_ldc=True, name="Bhutan (edited)")
    EGovScore.objects.filter(country__iso3="BGD", survey_year=2024).update(rank=1)

    countries, scores = load_countries(), load_egov_scores()

    assert (countries.created, countries.updated, countries.unchanged) == (0, 1, 247)
    assert (scores.created, scores.updated) == (0, 1)
    bhutan = Country.objects.get(iso3="BTN")
    assert (bhutan.name, bhutan.is_ldc) == ("Bhutan", False)
    assert EGovScore.objects.get(country__iso3="BGD", survey_year=2024).rank == 100


def test_scores_need_the_countries_loaded_first():
    with pytest.raises(ValueError, match="load the countries first"):
        load_egov_scores()

    assert EGovScore.objects.count() == 0


def test_the_17_sdgs_carry_official_colours(loaded):
    assert SDG.objects.count() == 17
    gender = SDG.objects.get(number=5)
    assert gender.colour == "#FF3A21"
    assert gender.title == "Achieve gender equality and empower all women and girls"
    assert SDG.objects.get(number=16).colour == "#00689D"
    assert all(sdg.colour.startswith("#") and len(sdg.colour) == 7 for sdg in SDG.objects.all())


def test_the_theme_taxonomy_names_the_portals_subjects(loaded):
    slugs = set(Theme.objects.values_list("slug", flat=True))

    assert {
        "e-government",
        "capacity-development",
        "womens-empowerment",
        "disaster-risk-management",
        "ict-access",
        "service-delivery-innovation",
        "e-participation",
        "local-e-government",
        "good-governance",
        "digital-government-for-sustainable-development",
        "open-government-data",
    } <= slugs


def test_load_reference_command_prints_one_line_per_table_and_is_quick():
    out = StringIO()
    started = time.monotonic()

    call_command("load_reference", stdout=out)

    assert time.monotonic() - started < 5
    assert out.getvalue().splitlines() == [
        "Countries: 248 created, 0 updated, 0 unchanged",
        "E-Government Survey scores: 2316 created, 0 updated, 0 unchanged",
        "SDGs: 17 created, 0 updated, 0 unchanged",
        f"Themes: {Theme.objects.count()} created, 0 updated, 0 unchanged",
    ]


def test_load_reference_command_run_again_reports_all_unchanged():
    call_command("load_reference", stdout=StringIO())
    out = StringIO()

    call_command("load_reference", stdout=out)

    assert "Countries: 0 created, 0 updated, 248 unchanged" in out.getvalue()
    assert "E-Government Survey scores: 0 created, 0 updated, 2316 unchanged" in out.getvalue()
