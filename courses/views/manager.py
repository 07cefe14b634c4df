"""Views: manager."""

urlpatterns: list = []
