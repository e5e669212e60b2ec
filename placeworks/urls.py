"""Root URLs: the admin, then each app's URLs as declared in its contributions module."""

from django.contrib import admin
from django.urls import include, path

from placeworks.contributions import collect

admin.site.site_header = "Placeworks administration"
admin.site.site_title = "Placeworks administration"

urlpatterns = [path("admin/", admin.site.urls)]
# Apps with a longer prefix first, so the home page's "" prefix never shadows them.
for prefix, module in sorted(collect("URLS"), key=lambda item: -len(item[0])):
    urlpatterns.append(path(prefix, include(module)))

handler403 = "placeworks.web.views.permission_denied"
handler404 = "placeworks.web.views.page_not_found"
handler500 = "placeworks.web.views.server_error"
