"""The migration engine: stream a file in chunks, validate in bulk, stage, then publish.

Primitives, each one step of a run:

- ``plan``: the run's fields, their compiled checks and where each sits in the file;
- ``source``: open the run's file after the records already committed;
- ``staging``: the run's own staging table (create, write, check, drop);
- ``chunks``: validate a chunk column by column and commit it in ONE transaction;
- ``ledger``: the ``RunChunk`` rows of a run split across workers (claims, counts);
- ``spool``: a split run's header and chunks as files every worker reads;
- ``lease``: the claim token a worker writes under, heartbeat, cancel, terminal state;
- ``holder``: the process holding a run's lease, and whether it still exists (a run whose
  holder is gone is taken over in seconds, without waiting for the lease);
- ``finalize``: duplicates, same-object references, counts and the publishing upsert.

Two drivers, which import only primitives: ``sequential`` (a run on one worker) and
``parallel`` (one run split across workers, PostgreSQL). ``datamigration.services`` picks
the driver and enqueues every task a driver asks for.
"""
