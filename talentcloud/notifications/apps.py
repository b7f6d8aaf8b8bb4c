from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "talentcloud.notifications"
    label = "notifications"
    verbose_name = "Notifications"
