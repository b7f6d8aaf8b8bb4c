from django.apps import AppConfig


class PayoutsConfig(AppConfig):
    name = "talentcloud.payouts"
    label = "payouts"
    verbose_name = "Payouts"
