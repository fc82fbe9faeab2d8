from django.urls import path

from phases.design import views

app_name = "design"

urlpatterns = [
    path("", views.DesignListView.as_view(), name="design_list"),
    path("new/", views.DesignEditView.as_view(), name="design_create"),
    path("<int:pk>/", views.DesignDetailView.as_view(), name="design_detail"),
    path("<int:pk>/edit/", views.DesignEditView.as_view(), name="design_edit"),
    path("<int:pk>/delete/", views.DesignDeleteView.as_view(), name="design_delete"),
    path("<int:pk>/submit/", views.DesignSubmitView.as_view(), name="design_submit"),
    path("<int:pk>/decide/", views.DesignDecideView.as_view(), name="design_decide"),
    path("<int:pk>/bpmn/", views.DesignBpmnDownloadView.as_view(), name="design_bpmn"),
    path("versions/<int:pk>/", views.VersionDetailView.as_view(), name="version_detail"),
    path("functions/", views.FunctionListView.as_view(), name="function_list"),
    path("functions/new/", views.FunctionEditView.as_view(), name="function_create"),
    path("functions/<int:pk>/", views.FunctionEditView.as_view(), name="function_edit"),
    path("functions/<int:pk>/delete/", views.FunctionDeleteView.as_view(), name="function_delete"),
    path("technical/", views.TechnicalListView.as_view(), name="technical_list"),
    path("technical/new/", views.TechnicalEditView.as_view(), name="technical_create"),
    path("technical/<int:pk>/", views.TechnicalEditView.as_view(), name="technical_edit"),
    path("technical/<int:pk>/delete/", views.TechnicalDeleteView.as_view(), name="technical_delete"),
    path("technical/<int:pk>/evidence/", views.TechnicalEvidenceView.as_view(), name="technical_evidence"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
]
