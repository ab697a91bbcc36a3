"""Settings precedence and secret handling."""
from __future__ import annotations

import stat

import pytest

from pbx.config import ConfigError, load_settings


def test_environment_overrides_file_which_overrides_defaults(tmp_path):
    (tmp_path / "pbx.toml").write_text('port = 9000\nhost = "0.0.0.0"\nlog_level = "DEBUG"\n')
    settings = load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_PORT": "9100"})
    assert settings.port == 9100 and settings.host == "0.0.0.0" and settings.log_level == "DEBUG"
    assert settings.smtp_port == 25  # default kept


def test_missing_secrets_are_generated_once_and_kept_private(tmp_path):
    first = load_settings({"PBX_INSTANCE_PATH": str(tmp_path)})
    second = load_settings({"PBX_INSTANCE_PATH": str(tmp_path)})
    assert first.secret_key and first.secret_key == second.secret_key
    assert first.xml_curl_password != first.esl_password
    assert stat.S_IMODE((tmp_path / "secrets.toml").stat().st_mode) == 0o600


def test_production_refuses_to_start_without_explicit_secrets(tmp_path):
    with pytest.raises(ConfigError, match="PBX_SECRET_KEY"):
        load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_ENV": "production"})


@pytest.mark.parametrize("env,message", [
    ({"PBX_PORT": "eighty"}, "PBX_PORT"),
    ({"PBX_SMTP_STARTTLS": "maybe"}, "PBX_SMTP_STARTTLS"),
    ({"PBX_XML_CURL_ALLOWED": "10.0.0.0/33"}, "PBX_XML_CURL_ALLOWED"),
    ({"PBX_ENV": "staging"}, "PBX_ENV"),
    ({"PBX_FAX_LINE_RETRY_SECONDS": "60,soon"}, "PBX_FAX_LINE_RETRY_SECONDS"),
    ({"PBX_FAX_LINE_RETRY_SECONDS": "-5"}, "PBX_FAX_LINE_RETRY_SECONDS"),
    ({"PBX_FAX_RING_SECONDS": "600"}, "PBX_FAX_RING_SECONDS"),
])
def test_bad_values_name_the_variable(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_settings({"PBX_INSTANCE_PATH": str(tmp_path), **env})


def test_sqlite_under_the_instance_folder_is_the_default(tmp_path):
    settings = load_settings({"PBX_INSTANCE_PATH": str(tmp_path)})
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve() / 'pbx.sqlite3'}"


def test_redacted_view_masks_every_secret(tmp_path):
    settings = load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_SMTP_PASSWORD": "hunter2"})
    shown = settings.redacted()
    assert shown["secret_key"] == shown["esl_password"] == shown["smtp_password"] == "***"


def test_fax_ring_time_and_line_retry_waits_default_to_the_ladders_and_can_be_shortened(tmp_path):
    from datetime import timedelta

    from fs_service.fax import ladder

    default = load_settings({"PBX_INSTANCE_PATH": str(tmp_path)})
    assert (default.fax_ring_seconds, default.fax_line_retry_delays) == (60, ladder.LINE_DELAYS)
    short = load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_FAX_RING_SECONDS": "6",
                           "PBX_FAX_LINE_RETRY_SECONDS": " 1, 30 "})
    assert (short.fax_ring_seconds, short.fax_line_retry_delays) == (6, (timedelta(seconds=1), timedelta(seconds=30)))
    never = load_settings({"PBX_INSTANCE_PATH": str(tmp_path), "PBX_FAX_LINE_RETRY_SECONDS": ""})
    assert never.fax_line_retry_delays == ()
