from django.conf import settings
from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/data/", views.about_data, name="about-data"),
    path("healthz", views.healthz, name="healthz"),
    # GOV.UK Frontend's compiled CSS asks for its fonts and images at /assets/.
    path(
        "assets/<path:path>",
        RedirectView.as_view(url=f"{settings.STATIC_URL}govuk/assets/%(path)s", permanent=True),
    ),
]
