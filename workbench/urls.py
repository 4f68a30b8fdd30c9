from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("status/workers/", views.worker_status, name="worker_status"),
    path("", include("claims.exports.urls")),
    path("", include("claims.urls")),
]
