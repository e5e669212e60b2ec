from django.urls import path

from . import views

app_name = "estate"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.csv", views.export_csv, name="export-csv"),
    path("map/", views.asset_map, name="map"),
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("unplaced/", views.unlocated, name="unlocated"),
    path("new/", views.create, name="create"),
    path("import/", views.import_file, name="import"),
    path("community/", views.service_list, name="services"),
    path("community/<int:service_id>/", views.service_detail, name="service-detail"),
    path("<int:asset_id>/", views.detail, name="detail"),
    path("<int:asset_id>/edit/", views.edit, name="edit"),
]
