import logging
from contextlib import contextmanager

from flask import current_app

from alembic import context

# this is the Alembic Config object, which provides
# access to the values within the .ini file in use.
config = context.config

# Interpret the config file for Python logging.
# This line sets up loggers basically.
# Logging is configured by the application (pbx.logs); alembic's fileConfig would disable
# every logger that already exists.
logger = logging.getLogger('alembic.env')


def get_engine():
    return current_app.extensions['migrate'].db.engine


def get_engine_url():
    try:
        return get_engine().url.render_as_string(hide_password=False).replace(
            '%', '%%')
    except AttributeError:
        return str(get_engine().url).replace('%', '%%')


# add your model's MetaData object here
# for 'autogenerate' support
# from myapp import mymodel
# target_metadata = mymodel.Base.metadata
config.set_main_option('sqlalchemy.url', get_engine_url())
target_db = current_app.extensions['migrate'].db

# other values from the config, defined by the needs of env.py,
# can be acquired:
# my_important_option = config.get_main_option("my_important_option")
# ... etc.


def get_metadata():
    if hasattr(target_db, 'metadatas'):
        return target_db.metadatas[None]
    return target_db.metadata


def run_migrations_offline():
    """Run migrations in 'offline' mode.

    This configures the context with just a URL
    and not an Engine, though an Engine is acceptable
    here as well.  By skipping the Engine creation
    we don't even need a DBAPI to be available.

    Calls to context.execute() here emit the given string to the
    script output.

    """
    url = config.get_main_option("sqlalchemy.url")
    context.configure(
        url=url, target_metadata=get_metadata(), literal_binds=True
    )

    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run migrations in 'online' mode.

    In this scenario we need to create an Engine
    and associate a connection with the context.

    """

    # this callback is used to prevent an auto-migration from being generated
    # when there are no changes to the schema
    # reference: http://alembic.zzzcomputing.com/en/latest/cookbook.html
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, 'autogenerate', False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info('No changes in schema detected.')

    conf_args = current_app.extensions['migrate'].configure_args
    if conf_args.get("process_revision_directives") is None:
        conf_args["process_revision_directives"] = process_revision_directives

    connectable = get_engine()

    with connectable.connect() as connection:
        if connection.dialect.name == "sqlite":
            with sqlite_foreign_keys_off(connection):
                _run_online(connection, conf_args)
            return
        if connection.dialect.name == "postgresql":
            # The app's engine bounds statements (fs_service.db STATEMENT_TIMEOUT_MS) so a request
            # fails fast; a migration rewriting a large table must be allowed to take its time.
            # Session-wide; committed at once, or alembic would see an "external" transaction and
            # leave the migrations uncommitted.
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.commit()
        _run_online(connection, conf_args)


def _run_online(connection, conf_args) -> None:
    context.configure(
        connection=connection,
        target_metadata=get_metadata(),
        **conf_args
    )
    with context.begin_transaction():
        context.run_migrations()


class ForeignKeyViolations(RuntimeError):
    """A migration left rows whose parent is missing: stop before anyone builds on them."""


@contextmanager
def sqlite_foreign_keys_off(connection):
    """Run SQLite migrations with foreign keys off, then check every key.

    SQLite cannot ALTER a constraint, so alembic's batch mode rebuilds a table (copy, DROP,
    rename). With foreign keys on -- every connection of ours turns them on (fs_service.db) --
    that DROP runs the children's ON DELETE: CASCADE children vanish, SET NULL ones lose their
    link. SQLite's documented recipe for such rebuilds: keys off for the connection (a no-op
    inside a transaction, hence the commit around it), the work, then ``foreign_key_check``.
    """
    connection.commit()  # the PRAGMA is ignored while a transaction is open
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
        if connection.in_transaction():
            connection.commit()
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            logger.error("migration left %d rows with a missing parent: %s", len(broken), broken[:20])
            raise ForeignKeyViolations(
                f"{len(broken)} rows point at a missing parent (table, rowid, parent, fk id): {broken[:20]}")
    finally:
        if connection.in_transaction():
            connection.rollback()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
