from django.urls import path

from . import views

app_name = "pipeline"

urlpatterns = [
    path("", views.index, name="index"),
    path("board/", views.board, name="board"),
    path("map/", views.project_map, name="map"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("export.xlsx", views.export_xlsx, name="export-xlsx"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("export.geojson", views.export_geojson, name="export-geojson"),
    path("new/", views.create, name="create"),
    path("from-opportunity/", views.from_opportunity, name="from-opportunity"),
    path("funding/", views.funding_list, name="funding"),
    path("funding/new/", views.funding_create, name="funding-create"),
    path("funding/<int:opportunity_id>/", views.funding_detail, name="funding-detail"),
    path("funding/<int:opportunity_id>/edit/", views.funding_edit, name="funding-edit"),
    path("<int:project_id>/", views.detail, name="detail"),
    path("<int:project_id>/edit/", views.edit, name="edit"),
    path("<int:project_id>/stage/", views.move, name="stage"),
    path("<int:project_id>/manage/", views.manage, name="manage"),
    path("<int:project_id>/partners/", views.partner_add, name="partner-add"),
    path(
        "<int:project_id>/partners/<int:organisation_id>/remove/",
        views.partner_remove,
        name="partner-remove",
    ),
    path("<int:project_id>/assets/", views.asset_add, name="asset-add"),
    path("<int:project_id>/assets/<int:link_id>/remove/", views.asset_remove, name="asset-remove"),
    path("<int:project_id>/risks/", views.risk_add, name="risk-add"),
    path("<int:project_id>/risks/<int:risk_id>/close/", views.risk_close, name="risk-close"),
    path("<int:project_id>/funding/", views.funding_add, name="funding-add"),
    path(
        "<int:project_id>/funding/<int:line_id>/remove/",
        views.funding_remove,
        name="funding-remove",
    ),
    path("<int:project_id>/dates/", views.date_add, name="date-add"),
    path("<int:project_id>/dates/<int:date_id>/remove/", views.date_remove, name="date-remove"),
    path("<int:project_id>/inequalities/", views.indicator_add, name="indicator-add"),
    path(
        "<int:project_id>/inequalities/<int:link_id>/remove/",
        views.indicator_remove,
        name="indicator-remove",
    ),
    path("<int:project_id>/documents/", views.document_add, name="document-add"),
    path(
        "<int:project_id>/documents/<int:document_id>/",
        views.document_download,
        name="document-download",
    ),
    path(
        "<int:project_id>/documents/<int:document_id>/remove/",
        views.document_delete,
        name="document-delete",
    ),
]
