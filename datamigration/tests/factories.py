"""factory_boy factories of the datamigration app (build on ``projects.tests.factories``),
and the helpers that are not model factories: the shared generator's files, CSV bytes,
running a queued run in this process, and the error sets the tests compare.

Uploads and runs are made through the services, as a user's would be: ``UploadFactory``
checks and reads the file, ``MigrationRunFactory`` starts the run and (unless
``executed=False``) executes it here, as a worker would.
"""

import csv
import io
import subprocess
import sys
from pathlib import Path

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from datamigration import services
from datamigration.models import MasterDataObject, MigrationRun, Upload
from projects.roles import Role
from projects.tests.factories import MembershipFactory, ProjectFactory

MAKE_MASTERDATA = Path("/work/shared/data/make_masterdata.py")
if not MAKE_MASTERDATA.exists():  # the repository's sibling checkout
    MAKE_MASTERDATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "make_masterdata.py"


def generate(outdir: Path, *, products=2000, partners=300, seed=7, dirty=True) -> Path:
    """The shared generator's files (and ``manifest.json``) in ``outdir``."""
    args = [sys.executable, str(MAKE_MASTERDATA), str(outdir), "--products", str(products)]
    args += ["--partners", str(partners), "--seed", str(seed)] + (["--dirty"] if dirty else [])
    subprocess.run(args, check=True, capture_output=True)
    return outdir


def csv_bytes(rows: list[list[str]], *, encoding="utf-8", delimiter=",") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


UOM_CSV = csv_bytes([["code", "name"], ["PCS", "Cái"], ["KG", "Kilôgam"]])
#: One good row and one without its key: a run of it has a staged record and a row error.
UOM_ONE_ERROR = csv_bytes([["code", "name"], ["PCS", "Cái"], ["", "x"]])


def _consultant_of(project):
    return MembershipFactory(project=project, role=Role.CONSULTANT).user


class MasterDataObjectFactory(factory.django.DjangoModelFactory):
    """An object of a project. A built-in name (``uom``, ``products``...) gives the project's
    built-in object, with its fields; another name a new object without fields."""

    class Meta:
        model = MasterDataObject
        django_get_or_create = ("project", "name")

    project = factory.SubFactory(ProjectFactory)
    name = "uom"
    label = factory.LazyAttribute(lambda o: o.name.replace("_", " ").capitalize())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        services.builtin_objects_ensure(project=kwargs["project"])
        return super()._create(model_class, *args, **kwargs)


class UploadFactory(factory.django.DjangoModelFactory):
    """A file uploaded through ``services.upload_create``.

    ``content``: the file's bytes, or a path (whose name becomes ``original_name``);
    ``object_name`` picks the object (built-ins included); ``encoding``, ``sheet`` and
    ``header_row`` go to the service as a user would choose them.
    """

    class Meta:
        model = Upload

    class Params:
        object_name = "uom"

    project = factory.SubFactory(ProjectFactory)
    object = factory.SubFactory(
        MasterDataObjectFactory, project=factory.SelfAttribute("..project"), name=factory.SelfAttribute("..object_name")
    )
    uploaded_by = factory.LazyAttribute(lambda o: _consultant_of(o.project))
    content = UOM_CSV
    original_name = factory.LazyAttribute(lambda o: o.content.name if isinstance(o.content, Path) else "data.csv")

    @classmethod
    def _create(cls, model_class, *, project, object, uploaded_by, content, original_name, **kwargs):
        data = content.read_bytes() if isinstance(content, Path) else content
        return services.upload_create(
            project=project,
            object=object,
            by=uploaded_by,
            file=SimpleUploadedFile(original_name, data),
            original_name=original_name,
            **kwargs,
        )


class MigrationRunFactory(factory.django.DjangoModelFactory):
    """A run started through ``services.migration_run_start`` by ``by`` (default: a consultant
    of ``project``, who also uploads ``content`` for ``object_name``) and, unless
    ``executed=False``, executed in this process. Pass ``upload=`` (with ``started_by=``) to
    run an existing upload."""

    class Meta:
        model = MigrationRun

    class Params:
        project = factory.SubFactory(ProjectFactory)
        object_name = "uom"
        content = UOM_CSV
        by = factory.LazyAttribute(lambda o: _consultant_of(o.project))

    upload = factory.SubFactory(
        UploadFactory,
        project=factory.SelfAttribute("..project"),
        object_name=factory.SelfAttribute("..object_name"),
        content=factory.SelfAttribute("..content"),
        uploaded_by=factory.SelfAttribute("..by"),
    )
    started_by = factory.SelfAttribute("by")
    mode = MigrationRun.Mode.LOAD
    cycle = "mock1"
    executed = True

    @classmethod
    def _create(cls, model_class, *, upload, started_by, mode, cycle, executed, **kwargs):
        run = services.migration_run_start(upload=upload, by=started_by, mode=mode, cycle=cycle, **kwargs)
        return execute(run) if executed else run


def execute(run: MigrationRun, worker="test-worker") -> MigrationRun:
    """What the Celery task does: claim, then execute, in this process."""
    claimed, token = services.migration_run_claim(run_id=run.pk, worker=worker)
    assert claimed is not None, "run could not be claimed"
    return services.migration_run_execute(run=claimed, token=token)


def expected_errors(manifest, file):
    return {(e["row"], e["field"], e["kind"]) for e in manifest["errors"] if e["file"] == file}


def reported_errors(run):
    return set(run.row_errors.values_list("row", "field", "kind"))
