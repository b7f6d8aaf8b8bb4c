from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "talentcloud.workflow"
    label = "workflow"
    verbose_name = "Workflow engine"
