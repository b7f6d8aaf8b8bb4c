from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.stations_view, name="stations"),
    path("s/<uuid:station_id>/", views.station_view, name="station"),
    path("leads/", views.leads_view, name="leads"),
    path("leads/export/", views.leads_export_view, name="leads_export"),
    path("leads/new/", views.lead_new_view, name="lead_new"),
    path("leads/<uuid:lead_id>/", views.lead_view, name="lead"),
    path("leads/<uuid:lead_id>/move/", views.lead_move_view, name="lead_move"),
    path("leads/<uuid:lead_id>/activity/", views.lead_activity_view, name="lead_activity"),
    path("leads/<uuid:lead_id>/consent/", views.lead_consent_view, name="lead_consent"),
    path("leads/<uuid:lead_id>/verify/", views.lead_verify_view, name="lead_verify"),
    path("leads/<uuid:lead_id>/link/", views.lead_link_view, name="lead_link"),
    path("leads/<uuid:lead_id>/reward/", views.lead_reward_view, name="lead_reward"),
    path("scorecards/", views.scorecards_view, name="scorecards"),
    path("scorecards/export/", views.scorecards_export_view, name="scorecards_export"),
    path("rates/", views.rates_view, name="rates"),
    path("events/", views.events_view, name="events"),
    path("events/<uuid:event_id>/", views.event_view, name="event"),
    path("events/<uuid:event_id>/check-in/", views.check_in_view, name="check_in"),
    path("open/", views.open_events_view, name="open_events"),
    path("open/<uuid:event_id>/", views.open_event_view, name="open_event"),
    path("me/registrations/", views.my_registrations_view, name="my_registrations"),
]
