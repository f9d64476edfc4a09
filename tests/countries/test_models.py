import datetime

import pytest
from django.db import IntegrityError

from countries.models import FocalPoint, countries_of
from tests.factories import CountryFactory, EGovScoreFactory, FocalPointFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_country_groups_lists_its_un_groupings():
    country = CountryFactory(is_ldc=True, is_lldc=True)
    assert country.groups == ["LDC", "LLDC"]


def test_country_codes_must_be_upper_case():
    with pytest.raises(IntegrityError):
        CountryFactory(iso3="abc", iso2="AB")


def test_one_score_per_country_and_survey_year():
    score = EGovScoreFactory()
    with pytest.raises(IntegrityError):
        EGovScoreFactory(country=score.country, survey_year=score.survey_year)


def test_score_outside_zero_to_one_is_refused():
    with pytest.raises(IntegrityError):
        EGovScoreFactory(egdi="1.50000")


def test_focal_point_is_active_until_its_end_date():
    current = FocalPointFactory()
    ended = FocalPointFactory(until=datetime.date(2021, 6, 30))

    assert current.is_active
    assert not ended.is_active
    assert list(FocalPoint.objects.active()) == [current]


def test_deactivated_user_has_no_active_appointment():
    focal = FocalPointFactory(user=UserFactory(is_active=False))
    assert not FocalPoint.objects.active().filter(pk=focal.pk).exists()
    assert not countries_of(focal.user).exists()


def test_appointment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        FocalPointFactory(since=datetime.date(2022, 1, 1), until=datetime.date(2021, 1, 1))


def test_one_open_appointment_per_person_and_country():
    focal = FocalPointFactory()
    with pytest.raises(IntegrityError):
        FocalPointFactory(user=focal.user, country=focal.country, organization=focal.organization)


def test_countries_of_a_focal_point_are_its_active_appointments():
    focal = FocalPointFactory()
    FocalPointFactory(user=focal.user, until=datetime.date(2021, 1, 1))

    assert list(countries_of(focal.user)) == [focal.country]
