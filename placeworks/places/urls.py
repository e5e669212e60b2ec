from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.area_map, name="map"),
    path("groupings/", views.groupings, name="groupings"),
    path("groupings/new/", views.grouping_edit, name="grouping-new"),
    path("groupings/import/", views.grouping_import, name="grouping-import"),
    path("groupings/<str:code>/edit/", views.grouping_edit, name="grouping-edit"),
    path("groupings/<str:code>/delete/", views.grouping_delete, name="grouping-delete"),
    path("<str:code>/", views.detail, name="detail"),
]
