from django.apps import AppConfig


class ServicehallConfig(AppConfig):
    name = "talentcloud.servicehall"
    label = "servicehall"
    verbose_name = "Service hall"
