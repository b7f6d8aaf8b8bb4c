from django_tasks import task

from .metrics import snapshot_refresh


@task()
def dashboard_refresh() -> None:
    """Recompute every dashboard metric now (the office's refresh button); the schedule does it regularly."""
    snapshot_refresh()
