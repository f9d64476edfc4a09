"""factory_boy factories for every model; tests build only what they need."""

import datetime
import itertools
import string

import factory
from babel import Locale
from django.db.models import Q
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import User
from countries.models import Country, EGovScore, FocalPoint, Organization
from events.models import Event, EventOrganizer, Participation, Person, Session
from paks.models import (
    CaseComment,
    CaseLink,
    CaseStudy,
    Contribution,
    ContributionSpeaker,
    Document,
)
from taxonomy.models import SDG, Theme


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    username = factory.LazyAttribute(lambda o: o.email)
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EditorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def editors_group(obj, create, extracted, **kwargs):
        if create:
            # Made again when a transactional test flushed the one the migrations made.
            from accounts.editors import editors_group

            obj.groups.add(editors_group())


UNNAMED = [
    code
    for code in map("".join, itertools.product(string.ascii_uppercase, repeat=2))
    if not any(code in Locale.parse(lang).territories for lang in ("en", "fr", "ar"))
]


class CountryFactory(DjangoModelFactory):
    """Tests use made-up codes so they never collide with the loaded M49 table."""

    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    @factory.lazy_attribute_sequence
    def iso3(self, n):
        """The next made-up code no country has yet (nor its two letters): a test's own
        country ("QBD") must not come back from get_or_create as another test country.
        The two letters are ones CLDR names no territory by, so that a made-up country has
        no name in the other languages but its own, as a real unknown one would."""
        for k in range(n, n + len(UNNAMED)):
            code = f"Q{UNNAMED[k % len(UNNAMED)]}"
            if not Country.objects.filter(Q(iso3=code) | Q(iso2=code[1:])).exists():
                return code
        raise RuntimeError("Every made-up country code is taken.")

    iso2 = factory.LazyAttribute(lambda o: o.iso3[1:])
    m49 = factory.Sequence(lambda n: f"{900 + n % 99:03d}"[-3:])
    name = factory.Sequence(lambda n: f"Testland {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    region_code = "142"
    region_name = "Asia"
    subregion_code = "034"
    subregion_name = "Southern Asia"


class EGovScoreFactory(DjangoModelFactory):
    class Meta:
        model = EGovScore

    country = factory.SubFactory(CountryFactory)
    survey_year = 2024
    rank = 100
    egdi = "0.50000"
    osi = "0.50000"
    hci = "0.50000"
    tii = "0.50000"
    epi = "0.50000"


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Ministry of Digital Affairs {n}")
    slug = factory.Sequence(lambda n: f"ministry-of-digital-affairs-{n}")
    kind = Organization.Kind.GOVERNMENT
    country = factory.SubFactory(CountryFactory)


class FocalPointFactory(DjangoModelFactory):
    class Meta:
        model = FocalPoint

    user = factory.SubFactory(UserFactory)
    country = factory.SubFactory(CountryFactory)
    organization = factory.SubFactory(
        OrganizationFactory, country=factory.SelfAttribute("..country")
    )
    position = "Director, e-Government"
    since = datetime.date(2020, 1, 1)


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class SDGFactory(DjangoModelFactory):
    class Meta:
        model = SDG
        django_get_or_create = ("number",)

    number = 16
    short_title = "Peace, justice and strong institutions"
    title = "Promote peaceful and inclusive societies"
    colour = "#00689D"


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Regional Workshop on e-Government {n}")
    slug = factory.Sequence(lambda n: f"regional-workshop-{n}")
    kind = Event.Kind.WORKSHOP
    start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=30))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=2))
    timezone = "Asia/Seoul"
    city = "Incheon"


class EventOrganizerFactory(DjangoModelFactory):
    class Meta:
        model = EventOrganizer

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = EventOrganizer.Role.ORGANIZER


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    country = factory.SubFactory(CountryFactory)


class CaseStudyFactory(DjangoModelFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"One-stop digital service centres {n}")
    slug = factory.Sequence(lambda n: f"one-stop-digital-service-centres-{n}")
    country = factory.SubFactory(CountryFactory)
    organization = factory.SubFactory(
        OrganizationFactory, country=factory.SelfAttribute("..country")
    )
    year = 2019
    summary = "Union digital centres bring government services to rural citizens."
    challenge = "Citizens travelled for days to reach a government office."
    solution = "Local entrepreneurs run centres that offer services online."
    results = "Millions of services delivered each month."
    lessons_learned = "Public-private partnership keeps the centres running."
    status = CaseStudy.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=CaseStudy.Status.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )
        submitted = factory.Trait(
            status=CaseStudy.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def search_index(obj, create, extracted, **kwargs):
        # As the workflow services do: a published case is in the search index.
        if create and obj.status == CaseStudy.Status.PUBLISHED and extracted is not False:
            from paks.search.index import reindex_case

            reindex_case(case_id=obj.pk)


class CaseLinkFactory(DjangoModelFactory):
    class Meta:
        model = CaseLink

    case = factory.SubFactory(CaseStudyFactory)
    title = "Service portal"
    url = "https://example.org/portal"


class CaseCommentFactory(DjangoModelFactory):
    class Meta:
        model = CaseComment

    case = factory.SubFactory(CaseStudyFactory)
    author = factory.SubFactory(EditorFactory)
    body = "Please add figures on uptake."


class DocumentFactory(DjangoModelFactory):
    class Meta:
        model = Document

    case = factory.SubFactory(CaseStudyFactory)
    title = "Country presentation"
    file = factory.django.FileField(filename="presentation.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_filename = "presentation.pdf"
    media_type = "application/pdf"
    size = 15


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Speaker {n}")
    slug = factory.Sequence(lambda n: f"speaker-{n}")
    position = "Director"


class SessionFactory(DjangoModelFactory):
    """A session on the event's first day, from 09:00 to 10:30 in the event's time zone."""

    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = Session.Kind.COUNTRY_PRESENTATIONS
    start = factory.LazyAttribute(
        lambda o: o.event.local_start.replace(hour=9, minute=0, second=0, microsecond=0)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(minutes=90))


class ContributionFactory(DjangoModelFactory):
    """A draft contribution; `published=True` publishes it."""

    class Meta:
        model = Contribution

    class Params:
        published = factory.Trait(
            status=CaseStudy.Status.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )

    event = factory.SubFactory(EventFactory)
    session = None
    title = factory.Sequence(lambda n: f"Country presentation {n}")
    country = factory.SubFactory(CountryFactory)


class ContributionSpeakerFactory(DjangoModelFactory):
    class Meta:
        model = ContributionSpeaker

    contribution = factory.SubFactory(ContributionFactory)
    person = factory.SubFactory(PersonFactory)
