from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("calendar.ics", feeds.events_ical, name="ical-all"),
    path("calendar/<int:year>.ics", feeds.events_ical_year, name="ical-year"),
    path("<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("<slug:slug>/calendar.ics", feeds.event_ical, name="ical"),
]
