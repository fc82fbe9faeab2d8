"""The engine on the shared generator's files: exact error reports, idempotent loads, round trips."""

from datetime import timedelta

import pytest
from django.utils import timezone

from datamigration import services
from datamigration.models import MigrationRun, RowError, RunChunk, StagedRecord
from datamigration.tests.factories import (
    MasterDataObjectFactory,
    MigrationRunFactory,
    UploadFactory,
    csv_bytes,
    execute,
    expected_errors,
    reported_errors,
)

pytestmark = pytest.mark.django_db

S = MigrationRun.Status


def _load_dependencies(project, md_dir, by):
    for name in ("uom", "tax_codes", "vendors"):
        run = MigrationRunFactory(project=project, object_name=name, content=md_dir / f"{name}.csv", by=by)
        assert run.status == S.SUCCEEDED, run.message


@pytest.mark.parametrize("name", ["products", "vendors", "customers", "chart_of_accounts"])
def test_validation_reports_exactly_the_manifest_errors(project, consultant, md_dir, manifest, name):
    _load_dependencies(project, md_dir, consultant)
    run = MigrationRunFactory(
        project=project, object_name=name, content=md_dir / f"{name}.csv", by=consultant, mode="validate"
    )

    expected = expected_errors(manifest, f"{name}.csv")
    assert run.status == S.SUCCEEDED, run.message
    assert reported_errors(run) == expected
    rows = manifest["rows"][f"{name}.csv"]
    bad_rows = {row for row, _, _ in expected}
    assert (run.total_rows, run.valid_rows, run.error_rows) == (rows, rows - len(bad_rows), len(bad_rows))
    assert run.error_count == len(expected)


def test_validate_only_stages_nothing(project, key_user, consultant, md_dir):
    _load_dependencies(project, md_dir, consultant)
    before = StagedRecord.objects.filter(project=project).count()

    run = MigrationRunFactory(
        project=project, object_name="products", content=md_dir / "products.csv", by=key_user, mode="validate"
    )

    assert run.status == S.SUCCEEDED
    assert StagedRecord.objects.filter(project=project).count() == before
    assert not StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products")).exists()


def test_load_stages_every_valid_row_and_a_second_load_changes_nothing(project, consultant, md_dir, manifest):
    _load_dependencies(project, md_dir, consultant)
    first = MigrationRunFactory(project=project, object_name="products", content=md_dir / "products.csv", by=consultant)
    products = StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products"))
    snapshot = dict(products.values_list("key", "updated_at"))

    second = MigrationRunFactory(
        project=project, object_name="products", content=md_dir / "products.csv", by=consultant, cycle="mock2"
    )

    bad = {row for row, _, _ in expected_errors(manifest, "products.csv")}
    assert first.inserted_rows == manifest["rows"]["products.csv"] - len(bad) == products.count()
    assert (second.inserted_rows, second.updated_rows, second.unchanged_rows) == (0, 0, first.inserted_rows)
    assert dict(products.values_list("key", "updated_at")) == snapshot
    assert second.loaded_checksum == first.loaded_checksum
    assert set(products.values_list("last_run", flat=True)) == {first.pk}


def test_corrected_file_updates_only_what_changed(project, consultant):
    header = ["code", "name"]
    MigrationRunFactory(
        project=project,
        object_name="uom",
        content=csv_bytes([header, ["PCS", "Cái"], ["KG", "Kilôgam"]]),
        by=consultant,
    )

    run = MigrationRunFactory(
        project=project,
        object_name="uom",
        content=csv_bytes([header, ["PCS", "Chiếc"], ["KG", "Kilôgam"], ["M", "Mét"]]),
        by=consultant,
    )

    assert (run.inserted_rows, run.updated_rows, run.unchanged_rows) == (1, 1, 1)
    records = dict(
        StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="uom")).values_list(
            "key", "data"
        )
    )
    assert records["PCS"] == {"code": "PCS", "name": "Chiếc"}


def test_vietnamese_text_round_trips_byte_for_byte(project, consultant, client):
    from datamigration import exports

    nfc = "Nguyễn Văn Đức — Cà phê rang xay đặc biệt"
    nfd = __import__("unicodedata").normalize("NFD", nfc)
    content = csv_bytes([["code", "name"], ["HOP", nfd], ["DOI", nfc]])

    run = MigrationRunFactory(project=project, object_name="uom", content=content, by=consultant)

    assert run.status == S.SUCCEEDED
    names = dict(
        StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="uom")).values_list(
            "key", "data__name"
        )
    )
    assert names == {"HOP": nfc, "DOI": nfc}
    exported = b"".join(exports.records_csv(MasterDataObjectFactory(project=project, name="uom")))
    assert exported.startswith(b"\xef\xbb\xbf")
    assert exported[3:].decode("utf-8").splitlines() == ["code,name", f"DOI,{nfc}", f"HOP,{nfc}"]
    # and back in: the exported files (CSV and XLSX) load with nothing to change
    again = MigrationRunFactory(project=project, object_name="uom", content=exported, by=consultant)
    assert (again.inserted_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 2)
    workbook = b"".join(exports.records_xlsx(MasterDataObjectFactory(project=project, name="uom")))
    from_xlsx = MigrationRunFactory(
        project=project,
        object_name="uom",
        content=workbook,
        by=consultant,
        upload__original_name="uom.xlsx",
        cycle="mock2",
    )
    assert (from_xlsx.inserted_rows, from_xlsx.updated_rows, from_xlsx.unchanged_rows) == (0, 0, 2)


def test_duplicate_keys_are_reported_on_the_later_rows(project, consultant):
    content = csv_bytes([["code", "name"], ["A", "1"], ["B", "2"], ["A", "3"], ["A", "4"]])

    run = MigrationRunFactory(project=project, object_name="uom", content=content, by=consultant, mode="validate")

    assert reported_errors(run) == {(3, "code", "duplicate"), (4, "code", "duplicate")}
    assert RowError.objects.get(run=run, row=3).message == "Repeats the key of row 1."


def test_same_file_parent_reference_and_staged_parent(project, consultant):
    header = ["code", "name", "parent_code", "type", "level", "reconcile"]
    MigrationRunFactory(
        project=project,
        object_name="chart_of_accounts",
        content=csv_bytes([header, ["111", "Tiền mặt", "", "asset", "1", "false"]]),
        by=consultant,
    )
    content = csv_bytes(
        [
            header,
            ["1111", "Tiền Việt Nam", "111", "asset", "2", "false"],  # parent already staged
            ["112", "Tiền gửi", "", "asset", "1", "false"],
            ["1121", "Tiền gửi VND", "112", "asset", "2", "false"],  # parent later in the same file
            ["9999", "Mồ côi", "999", "asset", "2", "false"],  # no such parent
        ]
    )

    run = MigrationRunFactory(project=project, object_name="chart_of_accounts", content=content, by=consultant)

    assert reported_errors(run) == {(4, "parent_code", "reference")}
    assert run.inserted_rows == 3


def test_cancel_of_a_queued_run_is_immediate(project, key_user):
    upload = UploadFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["A", "a"]]), uploaded_by=key_user
    )
    run = services.migration_run_start(upload=upload, by=key_user, mode="validate")

    run = services.migration_run_cancel(run=run, by=key_user)

    assert run.status == S.CANCELLED
    claimed, _ = services.migration_run_claim(run_id=run.pk, worker="w")
    assert claimed is None


def test_cancel_requested_stops_a_running_load_and_stages_nothing(project, consultant, md_dir, settings):
    settings.DATAMIGRATION_CHUNK_ROWS = 100
    _load_dependencies(project, md_dir, consultant)
    upload = UploadFactory(
        project=project, object_name="products", content=(md_dir / "products.csv").read_bytes(), uploaded_by=consultant
    )
    run = services.migration_run_start(upload=upload, by=consultant, mode="load")
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="w")
    MigrationRun.objects.filter(pk=run.pk).update(cancel_requested=True)

    run = services.migration_run_execute(run=claimed, token=token)

    assert run.status == S.CANCELLED
    assert not StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products")).exists()


def test_a_resumed_run_ends_like_an_uninterrupted_one(project, consultant, md_dir, settings, monkeypatch):
    from datamigration.engine import sequential

    settings.DATAMIGRATION_CHUNK_ROWS = 300
    settings.DATAMIGRATION_LEASE_SECONDS = 1
    _load_dependencies(project, md_dir, consultant)
    upload = UploadFactory(
        project=project, object_name="products", content=(md_dir / "products.csv").read_bytes(), uploaded_by=consultant
    )
    run = services.migration_run_start(upload=upload, by=consultant, mode="load")
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="doomed")
    real_commit = sequential.commit_chunk

    def dies_after_three_chunks(run, token, chunk_no, *args):
        if chunk_no == 3:
            raise KeyboardInterrupt("worker killed")
        return real_commit(run, token, chunk_no, *args)

    monkeypatch.setattr(sequential, "commit_chunk", dies_after_three_chunks)
    with pytest.raises(KeyboardInterrupt):
        services.migration_run_execute(run=claimed, token=token)
    monkeypatch.setattr(sequential, "commit_chunk", real_commit)
    assert MigrationRun.objects.get(pk=run.pk).processed_rows == 900
    MigrationRun.objects.filter(pk=run.pk).update(heartbeat_at=run.created_at.replace(year=2000))

    resumed = execute(run, worker="rescuer")

    assert resumed.status == S.SUCCEEDED
    assert resumed.deliveries == 2
    assert list(RunChunk.objects.filter(run=run).values_list("chunk_no", flat=True)) == list(range(7))
    staged = dict(
        StagedRecord.objects.filter(object=MasterDataObjectFactory(project=project, name="products")).values_list(
            "key", "checksum"
        )
    )
    reference = MigrationRunFactory(
        project=project, object_name="products", content=md_dir / "products.csv", by=consultant, cycle="mock2"
    )
    assert reference.unchanged_rows == len(staged) == resumed.inserted_rows
    assert RowError.objects.filter(run=resumed).count() == RowError.objects.filter(run=reference).count()


def test_a_replayed_chunk_is_a_no_op(project, consultant):
    from datamigration.engine import chunks, plan, staging

    upload = UploadFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["A", "a"]]), uploaded_by=consultant
    )
    run = services.migration_run_start(upload=upload, by=consultant, mode="load")
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="w")
    run_plan = plan.build_plan(claimed, ["code", "name"])
    staging.stage_create(claimed, 2)
    result = chunks.validate_chunk(run_plan, 1, [["A", "a"]])

    assert chunks.commit_chunk(claimed, token, 0, run_plan, result, 0.0) is True
    assert chunks.commit_chunk(claimed, token, 0, run_plan, result, 0.0) is False
    assert MigrationRun.objects.get(pk=run.pk).processed_rows == 1
    staging.stage_drop(claimed)


def test_a_chunk_of_a_split_run_taken_over_from_a_stalled_worker_commits_once(project, consultant, settings):
    from datamigration.engine import chunks, ledger, plan, spool, staging

    settings.DATAMIGRATION_LEASE_SECONDS = 60
    upload = UploadFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["A", "a"]]), uploaded_by=consultant
    )
    run = services.migration_run_start(upload=upload, by=consultant, mode="load", workers=2)
    claimed, token = services.migration_run_claim(run_id=run.pk, worker="w")
    run_plan = plan.build_plan(claimed, ["code", "name"])
    staging.stage_create(claimed, 2)
    spool.write_chunk(run.pk, 0, 1, [["A", "a"]])
    RunChunk.objects.create(run=claimed, chunk_no=0, first_row=1, rows=1)
    result = chunks.validate_chunk(run_plan, 1, spool.read_chunk(run.pk, 0)[1])

    assert ledger.claim_chunk(claimed, "stalled").worker == "stalled"
    assert ledger.claim_chunk(claimed, "other") is None  # held, and the claim is fresh
    RunChunk.objects.filter(run=claimed).update(claimed_at=timezone.now() - timedelta(seconds=61))
    assert ledger.claim_chunk(claimed, "other").worker == "other"

    assert chunks.commit_chunk(claimed, token, 0, run_plan, result, 0.0, claim="stalled") is False
    assert chunks.commit_chunk(claimed, token, 0, run_plan, result, 0.0, claim="other") is True
    assert chunks.commit_chunk(claimed, token, 0, run_plan, result, 0.0, claim="other") is False
    assert MigrationRun.objects.get(pk=run.pk).processed_rows == 1
    assert RunChunk.objects.get(run=claimed).committed_at is not None
    staging.stage_drop(claimed)
    assert not spool.run_dir(run.pk).exists()


def test_a_second_load_of_the_same_object_while_one_is_active_is_refused(project, consultant):
    from erpimpl.errors import ConflictError

    upload = UploadFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["A", "a"]]), uploaded_by=consultant
    )
    first = services.migration_run_start(upload=upload, by=consultant, mode="load")

    with pytest.raises(ConflictError) as exc:
        services.migration_run_start(upload=upload, by=consultant, mode="load")

    assert exc.value.message == services.LOAD_ALREADY_ACTIVE.format(object="uom", run=first.pk)


def test_a_delivery_while_another_worker_holds_the_lease_looks_again_later(project, consultant, monkeypatch):
    from datamigration import tasks

    upload = UploadFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["A", "a"]]), uploaded_by=consultant
    )
    run = services.migration_run_start(upload=upload, by=consultant, mode="validate")
    services.migration_run_claim(run_id=run.pk, worker="alive")
    later = []
    monkeypatch.setattr(tasks.migration_run_execute_task, "apply_async", lambda **kw: later.append(kw))

    outcome = tasks.migration_run_execute_task.run(run.pk)

    assert outcome == "watching"
    assert later == [{"args": [run.pk], "countdown": 61}]
    assert MigrationRun.objects.get(pk=run.pk).worker.startswith("alive:")


def test_the_management_command_runs_inline_and_ends_with_a_result_line(project, pm, md_dir, capsys):
    import json

    from django.core.management import CommandError, call_command

    call_command("migrate_masterdata", project=project.code, object="uom", file=str(md_dir / "uom.csv"), inline=True)
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("RESULT "))
    assert (result["status"], result["rows"], result["inserted"], result["errors"]) == ("succeeded", 10, 10, 0)

    empty = md_dir.parent / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty."):
        call_command("migrate_masterdata", project=project.code, object="uom", file=str(empty), inline=True)
    assert json.loads(capsys.readouterr().out.strip().removeprefix("RESULT "))["status"] == "rejected"


def test_a_project_with_master_data_can_be_deleted(project, pm, consultant):
    from projects import services as project_services

    MigrationRunFactory(
        project=project, object_name="uom", content=csv_bytes([["code", "name"], ["PCS", "Cái"]]), by=consultant
    )

    project_services.project_delete(project=project, by=pm)

    assert not StagedRecord.objects.exists()
    assert not MigrationRun.objects.exists()
