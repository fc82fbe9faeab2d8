"""``makemessages`` that also collects messages marked with ``N_`` (``gettext_noop``).

Services keep their messages as module constants marked ``N_("…")`` and translate them
when they raise (``_(CONSTANT)``); Django's own command only knows ``gettext_noop``.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
