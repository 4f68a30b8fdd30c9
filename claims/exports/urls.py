from django.urls import path, register_converter

from . import FORMATS, views


class FormatConverter:
    regex = "|".join(FORMATS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "exportformat")

app_name = "exports"
urlpatterns = [
    path(
        "exports/sets/<slug:slug>.<exportformat:fmt>",
        views.claimset_export,
        name="claimset_export",
    ),
    path(
        "api/sets/<slug:slug>/export.<exportformat:fmt>",
        views.api_claimset_export,
        name="api_claimset_export",
    ),
    path("api/captures/<int:pk>/archive", views.api_capture_archive, name="api_capture_archive"),
]
