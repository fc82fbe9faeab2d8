"""Celery tasks of the projects app: thin, take ids, call a service."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def approval_notify_task(approval_id: int) -> bool:
    from projects.services.approvals import approval_notify

    return approval_notify(approval_id=approval_id)
