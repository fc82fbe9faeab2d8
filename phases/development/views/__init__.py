"""Dashboard pages of the development phase: the board, the item list, environments, releases,
and the client portal's read-only board.

Every page is scoped to the project in the URL (``ProjectAccessMixin``): reading needs
``VIEW``, writing ``EDIT``. Internal figures (complexity, estimate) are shown only when the
user holds ``VIEW_INTERNAL``; the templates ask ``{% can project "view_internal" %}``.

By sub-domain: ``board`` (the board, moves, the portal board), ``items``, ``environments``
and ``releases``.
"""

from phases.development.views.board import BoardView, ItemMoveView, PortalBoardView
from phases.development.views.environments import EnvironmentDeleteView, EnvironmentEditView, EnvironmentListView
from phases.development.views.items import ItemDeleteView, ItemDetailView, ItemEditView, ItemListView
from phases.development.views.releases import (
    ReleaseDeleteView,
    ReleaseDetailView,
    ReleaseEditView,
    ReleaseListView,
    ReleaseTransportView,
)

__all__ = [
    "BoardView",
    "EnvironmentDeleteView",
    "EnvironmentEditView",
    "EnvironmentListView",
    "ItemDeleteView",
    "ItemDetailView",
    "ItemEditView",
    "ItemListView",
    "ItemMoveView",
    "PortalBoardView",
    "ReleaseDeleteView",
    "ReleaseDetailView",
    "ReleaseEditView",
    "ReleaseListView",
    "ReleaseTransportView",
]
