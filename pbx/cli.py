"""The ``pbx`` command: run the embedded server, migrate, seed the demo, check the config.

gevent must patch the standard library before anything else imports it (DESIGN conv. 8), hence
the first lines below.
"""
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

import click  # noqa: E402

from .config import ConfigError, load_settings  # noqa: E402


def _app():
    from .app import create_app
    try:
        return create_app(load_settings())
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """Hosted business PBX control plane for FreeSWITCH."""


@main.command()
@click.option("--host", default=None, help="Listen address (default PBX_HOST).")
@click.option("--port", default=None, type=int, help="Listen port (default PBX_PORT).")
def run(host: str | None, port: int | None) -> None:
    """Serve the web UI, the REST API and xml_curl, and run the ESL side, in one gevent process."""
    from .server import serve
    app = _app()
    serve(app, host or app.config["PBX"].host, port or app.config["PBX"].port)


@main.command()
@click.option("--node", required=True, help="Name of the FreeSWITCH node (from PBX_FREESWITCH_NODES).")
def esl(node: str) -> None:
    """Run the ESL side for one FreeSWITCH node only (production layout)."""
    from .server import run_esl
    run_esl(_app(), node)


@main.command()
def voicemail() -> None:
    """Run the voicemail service alone (the outbound socket FreeSWITCH connects to)."""
    from .server import run_voicemail
    run_voicemail(_app())


@main.command("fax-worker")
def fax_worker() -> None:
    """Run a fax worker alone: it renders, sends and retries queued faxes."""
    from .server import run_fax
    run_fax(_app())


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
def upgrade() -> None:
    """Apply every pending migration (SQLite or PostgreSQL)."""
    import flask_migrate

    from .app import MIGRATIONS
    app = _app()
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
    click.echo("database is up to date")


@main.command("create-operator")
@click.option("--email", required=True)
@click.option("--first-name", default="")
@click.option("--last-name", default="")
@click.password_option(help="At least 10 characters (prompted when omitted).")
def create_operator(email: str, first_name: str, last_name: str, password: str) -> None:
    """Create an operator (super-admin) login."""
    from fs_service import accounts
    from fs_service.db import db as database
    from fs_service.errors import PbxError
    app = _app()
    with app.app_context():
        try:
            user = accounts.create_user(None, email=email, first_name=first_name, last_name=last_name,
                                        role="operator", password=password)
            database.session.commit()
        except PbxError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"operator {user.email} created")


@main.command()
def demo() -> None:
    """Seed the demo account "Acme" (idempotent) and print fresh logins."""
    from .demo import seed
    app = _app()
    with app.app_context():
        for line in seed(app.config["PBX"]):
            click.echo(line)


@main.command("check-config")
def check_config() -> None:
    """Print the effective settings (secrets masked) and check the database and nodes."""
    from .checks import run_checks
    app = _app()
    ok = True
    for name, value in app.config["PBX"].redacted().items():
        click.echo(f"{name} = {value}")
    for label, good, detail in run_checks(app):
        ok &= good
        click.echo(f"[{'ok' if good else 'FAIL'}] {label}: {detail}")
    sys.exit(0 if ok else 1)
