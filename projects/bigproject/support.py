"""Support: the hook for the support app's rows (empty while ``support`` has no models).

When ``support`` gets its models (incidents with SLAs and comments, change requests,
maintenance windows, knowledge articles), generate them here with ``ctx.bulk``. A project
in its testing phase has none yet; a project generated after go-live (a later ``TODAY_DAY``
in ``plan``) would have thousands of incidents (e.g. 0.5 per test case during hypercare)
in realistic states. ``STEPS`` in ``__init__`` calls it in order.
"""

from projects.bigproject.base import Context


def generate(ctx: Context) -> None:
    return None
