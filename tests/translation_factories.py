"""Factories for translations of cases and events (the other factories: tests/factories.py)."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.models import EventTranslation
from paks.models import CaseTranslation
from tests.factories import CaseStudyFactory, EditorFactory, EventFactory, UserFactory


class CaseTranslationFactory(DjangoModelFactory):
    class Meta:
        model = CaseTranslation

    case = factory.SubFactory(CaseStudyFactory)
    language = "fr"
    title = "Centres de services numériques à guichet unique"
    summary = "Les centres numériques rapprochent les services publics des citoyens ruraux."
    challenge = "Les citoyens voyageaient des jours pour atteindre un bureau de l'administration."
    solution = "Des entrepreneurs locaux gèrent des centres qui offrent des services en ligne."
    results = "Des millions de services rendus chaque mois."
    lessons_learned = "Le partenariat public-privé fait vivre les centres."
    translated_by = factory.SubFactory(UserFactory)
    status = CaseTranslation.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=CaseTranslation.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(status=CaseTranslation.Status.SUBMITTED)


class EventTranslationFactory(DjangoModelFactory):
    class Meta:
        model = EventTranslation

    event = factory.SubFactory(EventFactory)
    language = "fr"
    title = "Atelier régional sur l'administration en ligne"
    summary = "Les pays partagent leurs bonnes pratiques."
    translated_by = factory.SubFactory(EditorFactory)
