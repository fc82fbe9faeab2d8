"""The go-live app's routes in the isolation tests: every part's role matrix lives in its own
module (``test_isolation_pages`` for readiness pages, ``test_isolation_api`` for the readiness
API, ``test_isolation_cutover``, ``test_isolation_people``, ``test_isolation_decisions``); the URL
policy test (``erpimpl/tests/test_url_policy.py``) reads their routes here."""

from golive.tests.test_isolation_cutover import CUTOVER_COVERED
from golive.tests.test_isolation_decisions import DECISIONS_COVERED
from golive.tests.test_isolation_pages import PAGE_COVERED
from golive.tests.test_isolation_people import PEOPLE_COVERED

try:
    from golive.tests.test_isolation_api import API_COVERED
except ModuleNotFoundError:  # the readiness API's matrix
    API_COVERED = []

COVERED_ROUTES = [*PAGE_COVERED, *API_COVERED, *CUTOVER_COVERED, *PEOPLE_COVERED, *DECISIONS_COVERED]


def test_every_part_lists_its_routes():
    assert len(COVERED_ROUTES) == len(set(COVERED_ROUTES))
