"""Names in the order their readers expect: ICU's collation of each language (CLDR's rules),
not code points: pinyin for Chinese, accents second to letters in French, the alphabet's
order in Arabic."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from countries.names import sort_key
from tests.factories import CaseStudyFactory, CountryFactory


def ordered(names: list[str], language: str) -> list[str]:
    return sorted(names, key=lambda name: sort_key(name, language))


def test_chinese_names_are_in_pinyin_order():
    # Āfùhàn, Āijí, Bāxī, Měiguó, Zhōngguó: not the characters' code points (中 U+4E2D first).
    names = ["中国", "美国", "巴西", "埃及", "阿富汗"]
    assert ordered(names, "zh-hans") == ["阿富汗", "埃及", "巴西", "美国", "中国"]


def test_french_names_sort_accented_letters_among_their_letters():
    names = ["Fidji", "Estonie", "Égypte", "Érythrée", "Danemark", "Équateur", "Espagne"]
    assert ordered(names, "fr") == [
        "Danemark",
        "Égypte",
        "Équateur",
        "Érythrée",
        "Espagne",
        "Estonie",
        "Fidji",
    ]


def test_arabic_names_are_in_the_order_of_the_arabic_alphabet():
    # ب (ba) before ت (ta) before ج (jim) before س (sin) before م (mim) before ي (ya).
    names = ["مصر", "اليمن", "تونس", "سوريا", "بنغلاديش", "الجزائر"]
    assert ordered(names, "ar") == ["الجزائر", "اليمن", "بنغلاديش", "تونس", "سوريا", "مصر"]


def test_the_request_language_is_the_default():
    with override("zh-hans"):
        assert sort_key("巴西") < sort_key("中国")
    with override("en"):
        assert sort_key("Brazil") < sort_key("China")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("zh-hans", ["阿富汗", "埃及", "巴西", "中国"]),
        ("fr", ["Afghanistan", "Brésil", "Chine", "Égypte"]),
        ("ar", ["أفغانستان", "البرازيل", "الصين", "مصر"]),
    ],
)
def test_the_country_list_orders_each_region_by_the_names_in_the_page_language(
    client, language, expected
):
    # One region, so the page lists the four in one group, in the page's language's order.
    for iso2, iso3, name in [
        ("CN", "CHN", "China"),
        ("EG", "EGY", "Egypt"),
        ("BR", "BRA", "Brazil"),
        ("AF", "AFG", "Afghanistan"),
    ]:
        country = CountryFactory(iso2=iso2, iso3=iso3, name=name, region_name="World")
        CaseStudyFactory(published=True, country=country)
    with override(language):
        url = reverse("countries:list")

    html = client.get(url).content.decode()

    positions = [html.index(f">{name}<") for name in expected]
    assert positions == sorted(positions), expected
