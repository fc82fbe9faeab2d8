"""One invariant guard on a model of another app, connected in ``TestingConfig.ready``.

A test-cycle sign-off is an ``Approval`` (projects). The projects app's generic approval
pages and API decide approvals through ``projects.services.approval_decide``, which knows
nothing of defects; this ``pre_save`` guard makes "no approval of a cycle with open critical
defects without an override reason" hold on every door. It changes nothing and has no side
effect: it only refuses (``DomainError``, rolled back with the caller's transaction).
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver

from projects.models import Approval


@receiver(pre_save, sender=Approval, dispatch_uid="testing_cycle_signoff_guard")
def cycle_signoff_guard(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from testing.services import approval_guard

    approval_guard(instance)
