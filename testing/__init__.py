"""Testing phase: test cases, cycles, executions, defects, load tests, UAT sign-off, traceability.

Decisions (where ARCHITECTURE.md is silent):

* Roles map onto the shared capabilities: EDIT writes cases, cycles, scope and testers, records
  load-test results and triages defects (new → open → in progress → fixed → retest);
  PARTICIPATE runs cases, attaches evidence, raises and comments defects, and closes or
  reopens a defect in retest; APPROVE decides a cycle sign-off (never the one who requested
  it: ``projects.roles.decide_refusal``). The tables of moves (defects, cycles) and the
  capability each needs are ``testing/transitions.py``; who may run a case or record a run
  is ``testing/access.py`` (one rule for services, pages and htmx rows).
* Client roles execute only the cases assigned to them; the firm's test team (EDIT) may run
  any case of a cycle (e.g. on a key user's behalf). UAT cases are assigned to client roles
  (key users, or the sponsor); other cycles to anyone who may participate.
* A re-test is a new ``Execution`` (``run`` + 1); at most one run per case and cycle is in
  progress (partial unique constraint). A run finishes as failed if a step failed, blocked if a
  step is blocked, passed when every step passed; steps after a failure may stay "not run".
* "Open" defects are new, open, in progress, fixed and retest; deferred and rejected ones are
  listed apart on the sign-off page. Approving a cycle sign-off with open critical defects
  needs an explicit override and its reason, on every door: the generic approval pages and API
  call ``projects.services.approval_decide``, which runs ``testing.services.cycle_signoff_check``
  (registered as the sign-off check of cycles in ``TestingConfig.ready``).
* A signed-off cycle is frozen (no runs, no scope or tester changes).
* Evidence (and load-test reports): png, jpg, gif, pdf, xlsx, docx, txt, log, csv, checked by
  ``projects.files.validate_upload`` (extension, size, content sniffing, Office containers), at
  most ``TESTING_EVIDENCE_MAX_BYTES`` (10 MB); stored under a generated name, downloaded through
  a scoped view with ``projects.files.attachment_response``.
* Traceability: requirement → its process designs → development items (linked to the
  requirement, or reached through one of its designs when the item names no requirement) →
  test cases (linked to the requirement or to one of those items) → each case's latest finished
  run in any cycle → open defects of those cases and items. "Agreed requirements without a test"
  counts agreed requirements no case reaches this way; "not run" counts cases without a finished
  run.

Public for other apps (read only): ``testing.selectors`` (``testing_status``, ``defect_list``, ``cycle_list``,
``traceability``, ``coverage``).
"""
