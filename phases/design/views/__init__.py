"""Design pages: the consultant dashboard (``/projects/<code>/design/``) and the client
portal's design sign-off (``/portal/<code>/design/``). Every write calls a service.

By sub-domain: ``designs`` (process designs, sign-off, versions), ``functions``,
``technical``, ``coverage`` and ``portal``.
"""

from phases.design.views.coverage import CoverageView
from phases.design.views.designs import (
    DesignBpmnDownloadView,
    DesignDecideView,
    DesignDeleteView,
    DesignDetailView,
    DesignEditView,
    DesignListView,
    DesignSubmitView,
    VersionDetailView,
)
from phases.design.views.functions import FunctionDeleteView, FunctionEditView, FunctionListView
from phases.design.views.portal import PortalDecideView, PortalDesignDetailView, PortalSignoffListView
from phases.design.views.technical import (
    TechnicalDeleteView,
    TechnicalEditView,
    TechnicalEvidenceView,
    TechnicalListView,
)

__all__ = [
    "CoverageView",
    "DesignBpmnDownloadView",
    "DesignDecideView",
    "DesignDeleteView",
    "DesignDetailView",
    "DesignEditView",
    "DesignListView",
    "DesignSubmitView",
    "FunctionDeleteView",
    "FunctionEditView",
    "FunctionListView",
    "PortalDecideView",
    "PortalDesignDetailView",
    "PortalSignoffListView",
    "TechnicalDeleteView",
    "TechnicalEditView",
    "TechnicalEvidenceView",
    "TechnicalListView",
    "VersionDetailView",
]
