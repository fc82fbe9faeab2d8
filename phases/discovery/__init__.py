"""Discovery & Planning: the first phase of an implementation, run in erpimpl.

What it holds: the kick-off (goals, scope, schedule, expectations, ground rules, attendees
and a RACI matrix, with a printable one-page view for the client), stakeholders, current
(as-is) processes, requirements with fit/gap, the RAID log, the rollout plan (waves with
companies/sites), documents attached to the plan (preparation requirements, test
procedures) and the discovery sign-off. The plan tasks and the Gantt chart stay in the
``projects`` app (``/projects/<code>/plan/``); the pages here link to them.

Decisions (where ARCHITECTURE.md is silent):

- Roles: reading needs ``VIEW``; every edit, the requirement import and asking for the
  sign-off need ``EDIT`` (PM, consultant); deciding it needs ``APPROVE`` (PM, sponsor),
  and whoever asked for it never decides it (segregation of duties, ``projects.roles``).
  A person named on a row (owner, attendee, RACI column, stakeholder's account) must be a
  member of the project (``projects.roles.is_member``: firm staff count as members).
- Requirement status moves: ``transitions.py`` (``{from: {to: Capability}}``); services
  enforce it, pages and the API offer only the moves the user may make.
- Internal content: ``RaidItem.internal`` and ``PlanDocument.internal`` hide whole rows
  from client roles (scoped querysets, so 404 on detail and download);
  ``Requirement.internal_notes`` is a field: left out of API answers, pages and exports
  for client roles. The portal page never shows internal rows, whoever looks at it.
- Requirement codes: ``REQ-001``... per project, allocated under a lock on the project
  row; a code typed by hand must be unique in the project (case-insensitive).
  A requirement becomes *agreed* only with its fit/gap and its resolution.
- Import (CSV UTF-8 or XLSX, first sheet, header row of known column names; the file is
  checked like every upload by ``projects.files.validate_upload``): all or nothing, one
  message per faulty row; it only creates requirements (a code already in
  the project is refused, never overwritten). Choice cells take the stored value or the
  English label; priority also takes the MoSCoW letter.
- Export: UTF-8 CSV with BOM or XLSX with text cells; a cell starting with ``= + - @``,
  tab or CR gets a leading ``'``; the import removes exactly that prefix again, so export →
  import round-trips the text.
- RACI: at most one Accountable per activity; a column is a project member or a
  stakeholder of the project. Saving replaces the whole matrix (versioned on the kick-off).
- Sign-off: ``DiscoverySignoff`` keeps a snapshot (agreed requirement codes, counts) and
  points to a ``projects.Approval`` that targets it; that approval also becomes the
  discovery phase's gate, so the phase completes only once the sponsor approved. One
  pending sign-off at a time, and only when some requirement is agreed.
- Plan documents: ``projects.files.DOCUMENT_TYPES``, at most 10 MB, content checked
  against the extension (``validate_upload``); downloads and exports are
  ``projects.files.attachment_response`` (RFC 6266 name, ``nosniff``, sandbox CSP), built
  in ``exports.py`` for the pages and the API alike.
- OpenAPI: this app's choice sets are named in ``SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]``
  (erpimpl/settings.py), so the schema has no enum-name collisions.
"""
