"""Portal pages of the cutover: the client user's own tasks in the running run (``golive-portal``)."""

from django.urls import path

from golive.views import cutover_portal as views

urlpatterns = [
    path("cutover/my-tasks/", views.MyTasksView.as_view(), name="cutover_my_tasks"),
    path("cutover/my-tasks/<int:pk>/start/", views.MyTaskStartView.as_view(), name="cutover_my_task_start"),
    path("cutover/my-tasks/<int:pk>/finish/", views.MyTaskFinishView.as_view(), name="cutover_my_task_finish"),
]
