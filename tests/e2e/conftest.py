"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def media_through_the_sites_own_view():
    """Django's live server answers /media/ itself, without byte ranges; the browser tests
    reach the site's own view instead (cms.views.media_file), as `make run` does."""
    from django.test import testcases

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture
def browser_context_args(browser_context_args):
    # bypass_csp: axe-core is injected into the page as an inline script, which the site's
    # Content-Security-Policy (rightly) refuses; the site's own scripts run under it.
    return {
        **browser_context_args,
        "locale": "sv-SE",
        "timezone_id": "Europe/Stockholm",
        "bypass_csp": True,
    }


# Every table's rows just after the first `seed_demo` of this process, kept in tables of
# their own (SNAPSHOT + table name): seeding takes a minute on PostgreSQL, copying it back
# a second. The demo's files (media) stay where the first seeding put them.
SNAPSHOT = "e2e_demo_"
_snapshot_tables: list[tuple[str, str]] = []  # (table, its columns), SQLite's virtual ones last


def _virtual_tables() -> set[str]:
    """SQLite's full-text tables: triggers on the search index fill them as its rows are
    restored, so they are emptied again and restored after every other table."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")
        return {name for (name,) in cursor.fetchall()}


def _demo_tables() -> list[str]:
    """The tables `flush` empties after each browser test: every table of a model."""
    from django.db import connection

    return sorted(connection.introspection.django_table_names(only_existing=True))


def _columns(cursor, table: str) -> str:
    """The table's columns, SQLite's rowid first where a model keeps its key there (the
    search index's full-text table): `SELECT *` leaves it out."""
    from django.apps import apps
    from django.db import connection

    names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    if "rowid" not in names and any(
        m._meta.db_table == table and m._meta.pk.column == "rowid" for m in apps.get_models()
    ):
        names.insert(0, "rowid")
    return ", ".join(connection.ops.quote_name(name) for name in names)


def _demo_snapshot_take() -> None:
    from django.db import connection

    qn = connection.ops.quote_name
    virtual = _virtual_tables()
    with connection.cursor() as cursor:
        for table in sorted(_demo_tables(), key=lambda table: table in virtual):
            columns = _columns(cursor, table)
            cursor.execute(f"DROP TABLE IF EXISTS {qn(SNAPSHOT + table)}")
            cursor.execute(
                f"CREATE TABLE {qn(SNAPSHOT + table)} AS SELECT {columns} FROM {qn(table)}"  # noqa: S608 - our own names
            )
            _snapshot_tables.append((table, columns))


def _demo_snapshot_restore() -> None:
    """Every table back to its rows of the snapshot, in one transaction (foreign keys are
    checked at its commit), and the id sequences past the restored ids."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    tables = {table for table, _columns in _snapshot_tables}
    models = [m for m in apps.get_models() if m._meta.managed and m._meta.db_table in tables]
    with transaction.atomic(), connection.cursor() as cursor:
        for table, _columns in _snapshot_tables:
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - our own table names
        virtual = _virtual_tables()
        for table, columns in _snapshot_tables:
            if table in virtual:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - our own table names
            cursor.execute(
                f"INSERT INTO {qn(table)} ({columns}) "  # noqa: S608 - our own names
                f"SELECT {columns} FROM {qn(SNAPSHOT + table)}"
            )
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def demo(django_db_serialized_rollback, transactional_db):
    """The full demo data set, as `make run` loads it: seeded by the first browser test of
    this process that asks for it, copied back from the snapshot of that for the others."""
    from django.core.management import call_command

    if _snapshot_tables:
        _demo_snapshot_restore()
    else:
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        _demo_snapshot_take()


@pytest.fixture
def login(page, live_server):
    """login(username, password) through the site's own login page."""

    def _login(username: str, password: str = "demo1234"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("main button[type=submit]")
        page.wait_for_load_state()

    return _login
