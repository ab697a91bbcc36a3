"""``pbx demo`` (issue 20.2): something to look at in every feature, made through the core, and
idempotent -- a second run adds nothing and only renews the passwords."""
from __future__ import annotations

import wave
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from fs_service.audio_storage import Storage
from fs_service.blacklist import rules as blacklist
from fs_service.db import db
from fs_service.models import (Account, BlacklistRule, Conference, Extension, PhoneNumber, ScheduleException,
                               ScheduleRange, Treatment, User, VoicemailMessage, WelcomeMenu, WelcomeMenuKey)
from fs_service.numbers import menus, rules as numbers, schedules
from pbx import demo

COUNTED = (Account, User, Extension, PhoneNumber, ScheduleRange, ScheduleException, Treatment, WelcomeMenu,
           WelcomeMenuKey, BlacklistRule, VoicemailMessage, Conference)


def counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in COUNTED}


def test_the_demo_shows_every_feature_and_runs_twice(make_app, tmp_path):
    app = make_app(voicemail_storage=str(tmp_path / "vm"))
    settings = app.config["PBX"]
    with app.app_context():
        first = demo.seed(settings)
        after_first = counts()
        account = db.session.scalar(sa.select(Account).where(Account.sip_domain == demo.DOMAIN))

        company = numbers.find_number(demo.COMPANY_NUMBER)
        assert company.account_id == account.id and len(schedules.week(account, company)) == 10
        [holiday] = schedules.list_exceptions(account, company)
        assert holiday.label == "Noël" and holiday.repeat_yearly
        zone = ZoneInfo(company.timezone)
        christmas_morning = datetime(datetime.now().year, 12, 25, 10, 30, tzinfo=zone)
        tuesday = datetime(2026, 12, 1, 10, 30, tzinfo=zone)
        assert schedules.preview(account, company, tuesday).state == "open"
        assert schedules.preview(account, company, christmas_morning).state != "open"
        open_treatment = db.session.get(Treatment, company.open_treatment_id)
        [menu] = menus.list_menus(account)
        assert open_treatment.kind == "menu" and open_treatment.menu_id == menu.id
        assert set(menus.menu_keys(menu)) == {"1", "2"}
        assert db.session.get(Treatment, company.closed_treatment_id).kind == "mailbox"

        fax = numbers.find_number(demo.FAX_NUMBER)
        admin = db.session.scalar(sa.select(User).where(User.email == "admin@acme.test"))
        assert fax.is_fax and admin.can_fax
        assert [(r.action, r.match, r.digits) for r in blacklist.list_rules(account)] == [
            ("block", "starts_with", "1900")]

        [message] = db.session.scalars(sa.select(VoicemailMessage)).all()
        audio = Storage.from_settings(settings).local_path(message.audio_path)
        with wave.open(str(audio), "rb") as wav:
            assert wav.getnframes() / wav.getframerate() >= 1  # real audio, not an empty file
        assert message.folder == "new" and message.caller_number == demo.DEMO_CALLER[0]

        [room] = db.session.scalars(sa.select(Conference)).all()
        assert room.kind == "permanent" and room.account_id == account.id

        second = demo.seed(settings)
        assert counts() == after_first
    assert first[0] == second[0] and first[1:4] != second[1:4]  # same logins, new passwords
    assert any(demo.COMPANY_NUMBER in line for line in first)
