from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data that `make run` loads (`manage.py seed_demo`).

    Installed by the development and test settings only: production never seeds a demo.
    """

    name = "demo"
