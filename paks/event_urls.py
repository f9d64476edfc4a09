"""The event pages, in the "events" namespace. The list and the calendars are the events
app's; an event's own pages read its programme, contributions and documents, so they are the
portal's (paks.event_views)."""

from django.urls import path

from events import feeds
from events.views import EventListView
from paks import event_views as views

app_name = "events"

urlpatterns = [
    path("", EventListView.as_view(), name="list"),
    path("calendar.ics", feeds.events_ical, name="ical-all"),
    path("calendar/<int:year>.ics", feeds.events_ical_year, name="ical-year"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", views.event_ical, name="ical"),
    path("<slug:slug>/programme/", views.ProgrammeView.as_view(), name="programme"),
    path("<slug:slug>/proceedings/", views.ProceedingsView.as_view(), name="proceedings"),
    path("<slug:slug>/proceedings.pdf", views.proceedings_pdf, name="proceedings-pdf"),
]
