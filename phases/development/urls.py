from django.urls import path

from phases.development import views

app_name = "development"

urlpatterns = [
    path("", views.BoardView.as_view(), name="board"),
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemEditView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item_edit"),
    path("items/<int:pk>/move/", views.ItemMoveView.as_view(), name="item_move"),
    path("items/<int:pk>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("environments/", views.EnvironmentListView.as_view(), name="environment_list"),
    path("environments/new/", views.EnvironmentEditView.as_view(), name="environment_create"),
    path("environments/<int:pk>/edit/", views.EnvironmentEditView.as_view(), name="environment_edit"),
    path("environments/<int:pk>/delete/", views.EnvironmentDeleteView.as_view(), name="environment_delete"),
    path("releases/", views.ReleaseListView.as_view(), name="release_list"),
    path("releases/new/", views.ReleaseEditView.as_view(), name="release_create"),
    path("releases/<int:pk>/", views.ReleaseDetailView.as_view(), name="release_detail"),
    path("releases/<int:pk>/edit/", views.ReleaseEditView.as_view(), name="release_edit"),
    path("releases/<int:pk>/transport/", views.ReleaseTransportView.as_view(), name="release_transport"),
    path("releases/<int:pk>/delete/", views.ReleaseDeleteView.as_view(), name="release_delete"),
]
