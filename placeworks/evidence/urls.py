from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.index, name="index"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("areas/<str:code>/", views.area_profile, name="profile"),
    path("areas/<str:code>/profile.csv", views.profile_csv, name="profile-csv"),
    path("map/", views.indicator_map, name="map"),
    path("compare/", views.compare, name="compare"),
    path("inequality/", views.inequality_view, name="inequality"),
    path("upload/", views.upload, name="upload"),
    path("template.csv", views.template_csv_view, name="template-csv"),
    path("template.xlsx", views.template_xlsx_view, name="template-xlsx"),
]
