from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "talentcloud.campaigns"
    label = "campaigns"
    verbose_name = "Campaigns"
