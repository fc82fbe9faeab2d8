"""Audit trail: every change to project content is recorded by django-auditlog.

The entry keeps who, when, and old/new values; ``get_additional_data`` on each model adds
the project id (and whether the object is internal) so the trail is scoped like the object.
Other apps register their models here from their ``AppConfig.ready``.
"""

import functools
from contextvars import ContextVar

from auditlog.context import auditlog_value, set_actor
from auditlog.registry import auditlog


def register_models():
    from projects.models import Approval, Membership, Milestone, Phase, Project, Task

    auditlog.register(Project, exclude_fields=["updated_at", "version"])
    auditlog.register(Membership, exclude_fields=["updated_at", "version"])
    auditlog.register(Phase, exclude_fields=["updated_at", "version"])
    auditlog.register(Milestone, exclude_fields=["updated_at", "version"])
    auditlog.register(Task, exclude_fields=["updated_at", "version"], m2m_fields={"depends_on"})
    auditlog.register(Approval, exclude_fields=["updated_at"])


_inside_audited = ContextVar("erpimpl_inside_audited", default=False)


def audited(service):
    """Record the service's ``by`` user as the actor of every audit entry it writes.

    The web middleware does this for requests; this decorator makes the API, the
    management commands and Celery-started work record the same actor. Only the outermost
    audited call sets the actor (a service calling another keeps it for its later writes),
    and the caller's audit context (the middleware's, in a request) is restored afterwards.
    """

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        by = kwargs.get("by")
        if _inside_audited.get() or by is None or not getattr(by, "is_authenticated", False):
            return service(*args, **kwargs)
        previous = auditlog_value.get(None)
        token = _inside_audited.set(True)
        try:
            with set_actor(by):
                return service(*args, **kwargs)
        finally:
            _inside_audited.reset(token)
            if previous is not None:
                auditlog_value.set(previous)

    return wrapper
