"""The ``pbx`` command: run the embedded server, migrate, seed the demo, check the config.

gevent must patch the standard library before anything else imports it (DESIGN conv. 8), hence
the first lines below. The app, the core and the servers are imported inside the commands that use
them (the lines say "lazy"): importing them takes ~2 s, which `pbx --help` (0.3 s) should not pay.
"""
from gevent import monkey

monkey.patch_all()

import sys  # noqa: E402

import click  # noqa: E402

from fs_service.errors import PbxError  # noqa: E402

from .config import ConfigError, load_settings  # noqa: E402
from .mail_catcher import catch_mail_in_development  # noqa: E402


def _app(adjust=None):
    from .app import create_app  # lazy: `pbx --help` stays fast
    try:
        settings = load_settings()
        return create_app(adjust(settings) if adjust else settings)
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
    from .server import serve  # lazy: `pbx --help` stays fast
    app = _app(catch_mail_in_development)
    serve(app, host or app.config["PBX"].host, port or app.config["PBX"].port)


@main.command()
@click.option("--host", default=None, help="Listen address (default PBX_HOST).")
@click.option("--port", default=None, type=int, help="Listen port (default PBX_PORT).")
def web(host: str | None, port: int | None) -> None:
    """Serve the web UI, the REST API and xml_curl only (production layout, behind a balancer)."""
    from .server import serve_web  # lazy: `pbx --help` stays fast
    app = _app()
    serve_web(app, host or app.config["PBX"].host, port or app.config["PBX"].port)


@main.command()
@click.option("--node", required=True, help="Name of the FreeSWITCH node (from PBX_FREESWITCH_NODES).")
def esl(node: str) -> None:
    """Run the ESL side for one FreeSWITCH node only (production layout)."""
    from .server import run_esl  # lazy: `pbx --help` stays fast
    run_esl(_app(), node)


@main.command()
def voicemail() -> None:
    """Run the voicemail service alone (the outbound socket FreeSWITCH connects to)."""
    from .server import run_voicemail  # lazy: `pbx --help` stays fast
    run_voicemail(_app())


@main.command("fax-worker")
def fax_worker() -> None:
    """Run a fax worker alone: it renders, sends and retries queued faxes."""
    from .server import run_fax  # lazy: `pbx --help` stays fast
    run_fax(_app())


@main.group()
def db() -> None:
    """Database schema."""


@db.command()
def upgrade() -> None:
    """Apply every pending migration (SQLite or PostgreSQL)."""
    import flask_migrate

    from .app import MIGRATIONS  # lazy: `pbx --help` stays fast
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
    from fs_service.accounts import rules as accounts  # lazy: `pbx --help` stays fast
    from fs_service.db import db as database  # lazy: `pbx --help` stays fast
    app = _app()
    with app.app_context():
        try:
            user = accounts.create_user(None, email=email, first_name=first_name, last_name=last_name,
                                        role="operator", password=password)
            database.session.commit()
        except PbxError as exc:
            raise click.ClickException(exc.message) from exc
        click.echo(f"operator {user.email} created")


@main.command("create-api-token")
@click.option("--email", required=True, help="The login the token acts as.")
@click.option("--name", default="cli", show_default=True, help="A label to recognise the token by.")
def create_api_token(email: str, name: str) -> None:
    """Print a new API token for a login (shown once). For automation run by someone with access
    to this host, which already reaches past any password or second factor."""
    import sqlalchemy as sa

    from fs_service import audit  # lazy: `pbx --help` stays fast
    from fs_service.accounts import login as auth  # lazy: `pbx --help` stays fast
    from fs_service.db import db as database  # lazy: `pbx --help` stays fast
    from fs_service.models import User  # lazy: `pbx --help` stays fast
    app = _app()
    with app.app_context():
        user = database.session.scalar(sa.select(User).where(User.email == auth.normalise_email(email)))
        if user is None or not user.active:
            raise click.ClickException(f"no active login {email!r}")
        audit.act_as(database.session, audit.Actor(None, "cli", user.account_id, "cli"))
        token = auth.create_api_token(user, name)
        database.session.commit()
        click.echo(token)


@main.command("reset-two-factor")
@click.option("--email", required=True)
def reset_two_factor(email: str) -> None:
    """Clear a login's two-factor (lost phone and recovery codes); it is set up again at the next
    login. The way back in for an operator, whom no web page can reset."""
    import sqlalchemy as sa

    from fs_service import audit  # lazy: `pbx --help` stays fast
    from fs_service.accounts import login as auth, two_factor  # lazy: `pbx --help` stays fast
    from fs_service.db import db as database  # lazy: `pbx --help` stays fast
    from fs_service.models import User  # lazy: `pbx --help` stays fast
    app = _app()
    with app.app_context():
        user = database.session.scalar(sa.select(User).where(User.email == auth.normalise_email(email)))
        if user is None:
            raise click.ClickException(f"no login {email!r}")
        audit.act_as(database.session, audit.Actor(None, "cli", user.account_id, "cli"))
        two_factor.clear(user)
        database.session.commit()
        click.echo(f"two-factor cleared for {user.email}")


@main.command()
def demo() -> None:
    """Seed the demo account "Acme" (idempotent) and print fresh logins."""
    from .demo import seed  # lazy: `pbx --help` stays fast
    app = _app()
    with app.app_context():
        for line in seed(app.config["PBX"]):
            click.echo(line)


@main.command("check-config")
def check_config() -> None:
    """Print the effective settings (secrets masked) and check the database and nodes."""
    from .checks import run_checks  # lazy: `pbx --help` stays fast
    app = _app()
    ok = True
    for name, value in app.config["PBX"].redacted().items():
        click.echo(f"{name} = {value}")
    for label, good, detail in run_checks(app):
        ok &= good
        click.echo(f"[{'ok' if good else 'FAIL'}] {label}: {detail}")
    sys.exit(0 if ok else 1)
