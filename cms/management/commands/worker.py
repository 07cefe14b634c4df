"""`manage.py worker`: run tasks from the database queue, with retries, recovery and the
schedule (cms.worker). Options as django-tasks-db's `db_worker`, plus `--no-schedule`."""

from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from cms.worker import Worker


class Command(DatabaseWorkerCommand):
    help = "Run a task worker: the database queue, retries, orphan recovery and the schedule."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-schedule",
            action="store_false",
            dest="schedule",
            help="Do not enqueue the scheduled jobs from this worker.",
        )
        # The library reloads on code changes when DEBUG is on; this worker does not (a
        # reload could stop a task halfway), so only an explicit --reload is refused.
        parser.set_defaults(reload=False)

    def handle(self, *, verbosity, queue_name, exclude_queues, schedule, reload, **options):
        if reload:
            raise CommandError("--reload is not supported: restart the worker after a change.")
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        queues = queue_name.split(",")
        if excluded and "*" not in queues:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            schedule=schedule,
            queue_names=queues,
            excluded_queue_names=excluded,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        worker.configure_signals()
        worker.run()
