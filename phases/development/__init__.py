"""Development phase (app label ``development``): custom features and extensions, environments, releases.

Decisions taken here (where ARCHITECTURE.md is silent):

* Items are RICEFW-style: report, interface, conversion, enhancement, form, workflow,
  analytics; codes ``DEV-001`` per project (the project row is locked while numbering).
  Interfaces must name the external system and the direction (a database constraint).
* The status moves only along ``transitions.ITEM_TRANSITIONS`` (``{from: {to: Capability}}``;
  rework goes back to *in development*; *cancelled* can be reinstated to *designed*); the
  board, the item page and the API offer only the moves the user may make
  (``projects.roles.allowed_moves``). Starting development needs an assignee: a member who
  may edit the project's content (``EDIT``: PM or consultant), the one rule of the form's
  choices (``members_with``) and of the service's check (``can``). Every move carries the
  version the caller saw: a stale move is a conflict (409 / a board message), never a
  silent overwrite.
* ``complexity`` and ``estimate_days`` are internal *fields* of a client-visible item: the
  API drops them for callers without ``VIEW_INTERNAL``, the templates ask
  ``{% can project "view_internal" %}``, and they are not recorded in the audit trail
  (which client roles may read).
* A release (transport) moves a set of items forward along the landscape (target
  environment ``order`` after the source), only items dev-tested or later, into an
  environment that is not unavailable or retired; it records when and by whom, and sets
  each item's current environment. A transported release cannot change, and an item that
  was transported cannot be deleted (cancel it instead).
* Client roles read the same board read-only in the portal (``/portal/<code>/development/``).
"""
