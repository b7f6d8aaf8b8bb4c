"""A URL configuration for tests that enable the scratch app: the project's, plus the scratch app's page
(``override_settings(ROOT_URLCONF=...)``)."""

from django.urls import include, path

from config import urls as project

urlpatterns = [*project.urlpatterns, path("scratch/", include("talentcloud.common.tests.scratchapp.urls"))]

handler404 = project.handler404
