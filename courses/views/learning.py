"""Views: learning."""

urlpatterns: list = []
