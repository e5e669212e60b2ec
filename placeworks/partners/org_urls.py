from django.urls import path

from . import views

urlpatterns = [
    path("", views.organisation_list, name="organisation-list"),
    path("<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("<slug:slug>/members/", views.organisation_members, name="organisation-members"),
]
