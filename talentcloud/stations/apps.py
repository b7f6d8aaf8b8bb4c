from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "talentcloud.stations"
    label = "stations"
    verbose_name = "Stations and events"
