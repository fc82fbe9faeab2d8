"""Dashboard and portal pages of the datamigration app.

The same views serve both sides: ``portal = True`` picks the portal layout and URL
namespace. Key users upload files and start validation runs from the portal; consultants
also start loads. Every page is scoped by ``ProjectAccessMixin``; writes go to services
through ``projects.actions`` (``ServiceFormView``, ``ServiceActionView``, ``call_service``);
downloads are ``datamigration.exports``' responses.

By sub-domain: ``objects`` (objects and their fields, templates, staged records,
reconciliation), ``uploads`` (upload a file, its column mapping) and ``runs`` (start,
follow, cancel a run, download its row errors).
"""

from datamigration.views.common import PageMixin, portal
from datamigration.views.objects import (
    FieldCreateView,
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ReconciliationView,
    RecordExportView,
    RecordListView,
    TemplateDownloadView,
)
from datamigration.views.runs import (
    RunCancelView,
    RunDetailView,
    RunErrorsDownloadView,
    RunProgressView,
    RunStartView,
)
from datamigration.views.uploads import UploadCreateView, UploadDetailView, UploadEncodingView

__all__ = [
    "FieldCreateView",
    "ObjectCreateView",
    "ObjectDetailView",
    "ObjectListView",
    "PageMixin",
    "ReconciliationView",
    "RecordExportView",
    "RecordListView",
    "RunCancelView",
    "RunDetailView",
    "RunErrorsDownloadView",
    "RunProgressView",
    "RunStartView",
    "TemplateDownloadView",
    "UploadCreateView",
    "UploadDetailView",
    "UploadEncodingView",
    "portal",
]
