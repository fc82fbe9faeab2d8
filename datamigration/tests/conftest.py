import json

import pytest

from datamigration.tests.factories import generate


@pytest.fixture(scope="session")
def md_dir(tmp_path_factory):
    """The shared generator's dirty files (2000 products, 300 partners, seed 7) and manifest."""
    return generate(tmp_path_factory.mktemp("masterdata"))


@pytest.fixture(scope="session")
def manifest(md_dir):
    return json.loads((md_dir / "manifest.json").read_text(encoding="utf-8"))
