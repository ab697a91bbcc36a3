"""0020_conference_entry_treatment on a database of its own (SQLite, or PostgreSQL when
PBX_TEST_POSTGRES_URL is set): up, down and up again, the ``conference`` kind allowed only when
it is, the result equal to the model -- and, since on SQLite the CHECK change rebuilds
``treatments`` (a parent table), the children of the rebuilt table still there afterwards
(env.py turns foreign keys off around SQLite migrations and checks them after)."""
from __future__ import annotations

from datetime import date

import flask_migrate
import pytest
import sqlalchemy as sa

from fs_service.db import db
from fs_service.models import PhoneNumber, ScheduleException, Treatment, WelcomeMenu, WelcomeMenuKey
from pbx.app import MIGRATIONS
from tests.factories import make_account
from tests.migration_support import fresh_url, model_diffs  # noqa: F401 (fixture)

BEFORE = "0019_phones"
CHILDREN = ("SELECT count(*) FROM welcome_menu_keys WHERE treatment_id = :t",
            "SELECT count(*) FROM phone_numbers WHERE open_treatment_id = :t AND closed_treatment_id = :t",
            "SELECT count(*) FROM schedule_exceptions WHERE treatment_id = :t",
            "SELECT count(*) FROM treatments WHERE next_treatment_id = :t")


def _insert(account_id: int, kind: str, then: str = "hangup") -> None:
    db.session.execute(sa.text("INSERT INTO treatments (account_id, kind, message_then) VALUES (:a, :k, :m)"),
                       {"a": account_id, "k": kind, "m": then})
    db.session.commit()


def _refused(account_id: int, kind: str, then: str = "hangup") -> bool:
    try:
        _insert(account_id, kind, then)
    except sa.exc.IntegrityError:
        db.session.rollback()
        return True
    return False


def _children(treatment_id: int) -> list[int]:
    return [db.session.scalar(sa.text(sql), {"t": treatment_id}) for sql in CHILDREN]


def _family(account_id: int) -> int:
    """A treatment with one child of each kind pointing at it; its id."""
    target = Treatment(account_id=account_id, kind="hangup")
    menu = WelcomeMenu(account_id=account_id, name="Accueil")
    db.session.add_all([target, menu])
    db.session.flush()
    number = PhoneNumber(account_id=account_id, e164="+15145550100", open_treatment_id=target.id,
                         closed_treatment_id=target.id)
    db.session.add_all([number, WelcomeMenuKey(menu_id=menu.id, digit="1", treatment_id=target.id),
                        Treatment(account_id=account_id, kind="message", message_path="x.wav",
                                  message_then="continue", next_treatment_id=target.id)])
    db.session.flush()
    db.session.add(ScheduleException(number_id=number.id, start_date=date(2026, 12, 25),
                                     end_date=date(2026, 12, 25), treatment_id=target.id))
    db.session.commit()
    return target.id


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_0020_goes_up_down_and_up_again_keeping_the_children_of_the_rebuilt_table(fresh_url, make_app):
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert model_diffs("treatments") == []
        account_id = make_account()[0].id
        target = _family(account_id)
        assert _children(target) == [1, 1, 1, 1]
        _insert(account_id, "conference")
        db.session.close()

        flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert _children(target) == [1, 1, 1, 1]  # no cascade, no SET NULL during the rebuild
        assert db.session.scalar(sa.text("SELECT count(*) FROM treatments WHERE kind = 'conference'")) == 0
        assert _refused(account_id, "conference")
        db.session.close()

        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        assert _children(target) == [1, 1, 1, 1]
        assert model_diffs("treatments") == []
        assert not _refused(account_id, "conference")
        assert _refused(account_id, "bogus")
        assert _refused(account_id, "hangup", then="bogus")  # the other CHECK survived the rebuilds
        db.session.remove()
        db.engine.dispose()


@pytest.mark.filterwarnings("ignore:Cannot correctly sort tables")
def test_a_sqlite_migration_that_leaves_a_row_without_its_parent_fails_loudly(fresh_url, make_app, caplog):
    if not fresh_url.startswith("sqlite"):
        pytest.skip("foreign keys are switched off around migrations on SQLite only")
    app = make_app(database_url=fresh_url)
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS, revision="heads")
        account_id = make_account()[0].id
        menu = WelcomeMenu(account_id=account_id, name="Accueil")
        db.session.add(menu)
        db.session.commit()
        with db.engine.connect() as conn:  # a row orphaned behind the keys' back
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql("INSERT INTO welcome_menu_keys (menu_id, digit, treatment_id) "
                                 f"VALUES ({menu.id}, '2', 9999)")
            conn.commit()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        db.session.close()
        with pytest.raises(SystemExit):  # flask-migrate's way of failing: exit status 1, the error logged
            flask_migrate.downgrade(directory=MIGRATIONS, revision=BEFORE)
        assert "1 rows point at a missing parent (table, rowid, parent, fk id): [('welcome_menu_keys', 1, " \
               "'treatments', 0)]" in caplog.text
        with db.engine.connect() as conn:  # the pooled connection got its keys back
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        db.session.remove()
        db.engine.dispose()
