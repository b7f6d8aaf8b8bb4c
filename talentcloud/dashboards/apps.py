from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "talentcloud.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
