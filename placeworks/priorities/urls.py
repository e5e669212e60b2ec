from django.urls import path

from . import views

app_name = "priorities"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/new/", views.plan_create, name="plan-create"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:plan_id>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<int:plan_id>/priorities/new/", views.priority_create, name="priority-create"),
    path("<int:priority_id>/edit/", views.priority_edit, name="priority-edit"),
    path("<int:priority_id>/delete/", views.priority_delete, name="priority-delete"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/apply/", views.apply_suggestions, name="apply-suggestions"),
    path("review/", views.review, name="review"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/themes/<slug:slug>/", views.coverage_theme, name="coverage-theme"),
    path("coverage/aims/<int:aim_id>/", views.coverage_aim, name="coverage-aim"),
    path("coverage.<str:fmt>", views.export_coverage, name="export-coverage"),
    path("export.<str:fmt>", views.export_priorities, name="export"),
    path("import/", views.import_plans, name="import"),
]
