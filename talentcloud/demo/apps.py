from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "talentcloud.demo"
    label = "demo"
    verbose_name = "Demo and seed data"
