import json

import pytest

from datamigration.models import StagedRecord
from datamigration.tests.factories import UOM_ONE_ERROR, MasterDataObjectFactory, MigrationRunFactory, generate


@pytest.fixture(scope="session")
def md_dir(tmp_path_factory):
    """The shared generator's dirty files (2000 products, 300 partners, seed 7) and manifest."""
    return generate(tmp_path_factory.mktemp("masterdata"))


@pytest.fixture(scope="session")
def manifest(md_dir):
    return json.loads((md_dir / "manifest.json").read_text(encoding="utf-8"))


def _world(project, by):
    """A project's object (uom), an upload, its executed load (one error row) and the staged record."""
    run = MigrationRunFactory(project=project, object_name="uom", content=UOM_ONE_ERROR, by=by)
    return {
        "project": project,
        "object": MasterDataObjectFactory(project=project, name="uom"),
        "upload": run.upload,
        "run": run,
        "record": StagedRecord.objects.get(project=project),
    }


@pytest.fixture
def mine(project, consultant):
    return _world(project, consultant)


@pytest.fixture
def theirs(other_project, outsider):
    return _world(other_project, outsider)
