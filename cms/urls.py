from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import admin_guards, views
from cms.forms import LoginForm
from courses.views import signin

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("captions/<int:document_id>.vtt", views.captions, name="captions"),
    path("lectures/<int:pk>/viewed/", views.lecture_viewed, name="lecture_viewed"),
    path("search/", views.search, name="search"),
    # Takes the place of Wagtail's own route of the same path: bulk actions on snippets
    # need the model permission (cms.admin_guards.bulk_action).
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        admin_guards.bulk_action,
        name="wagtail_bulk_action",
    ),
    # Wagtail's logout, ending a provider session at the provider too.
    path("admin/logout/", signin.AdminSignOutView.as_view(), name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "accounts/login/",
        signin.LoginPageView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", signin.SignOutView.as_view(), name="logout"),
    # Sign-in through the city's identity provider (404 while none is configured).
    path("", include(signin.urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("courses.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("certificates/", include("certificates.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
else:
    # The intranet deployment serves uploads through Django too unless a proxy takes over.
    from django.views.static import serve

    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "cms.views.bad_request"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
