"""Loading the settings: defaults < config file (TOML) < environment (``PBX_*``).

The settings object itself is the core's (``fs_service/settings.py``). One module loads it so
that every process (web, ESL listener, fax worker) reads the same values the same way. Secrets are generated on first run into the instance folder (mode
0600) so a demo needs no setup, but production mode refuses to start without them set
explicitly: a generated secret on one host of a cluster would silently differ from the others.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any, Mapping

from fs_service.settings import ENV_PREFIX, FAX_RING_SECONDS_RANGE, SECRET_FIELDS, ConfigError, Settings


def _coerce(name: str, raw: Any, target: type) -> Any:
    if target is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}: expected a boolean, got {raw!r}")
    try:
        return target(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{ENV_PREFIX}{name.upper()}: expected {target.__name__}, got {raw!r}") from exc


_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def _apply(base: dict[str, Any], source: Mapping[str, Any], *, from_env: bool) -> None:
    for f in fields(Settings):
        key = f"{ENV_PREFIX}{f.name.upper()}" if from_env else f.name
        if key in source:
            base[f.name] = _coerce(f.name, source[key], _TYPES[str(f.type)])


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _ensure_secrets(values: dict[str, Any]) -> None:
    """Generate missing secrets once and keep them in <instance>/secrets.toml (0600)."""
    missing = [name for name in SECRET_FIELDS if not values.get(name)]
    if not missing:
        return
    if values.get("env") == "production":
        names = ", ".join(f"{ENV_PREFIX}{n.upper()}" for n in missing)
        raise ConfigError(f"production mode needs these secrets set explicitly: {names}")
    path = Path(values["instance_path"]) / "secrets.toml"
    stored = _read_file(path)
    for name in missing:
        if not stored.get(name):
            stored[name] = secrets.token_urlsafe(32)
        values[name] = stored[name]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("# generated on first run; keep private\n")
        for name, value in sorted(stored.items()):
            fh.write(f'{name} = "{value}"\n')


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build the settings; keyword overrides (tests, CLI flags) win over everything."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    _apply(values, environ, from_env=True)
    values.update(overrides)
    instance = Path(values.get("instance_path") or Settings.instance_path)
    config_file = values.get("config_file") or str(instance / "pbx.toml")
    merged: dict[str, Any] = {}
    _apply(merged, _read_file(Path(config_file)), from_env=False)
    merged.update(values)
    merged["instance_path"] = str(instance)
    merged["config_file"] = config_file
    merged.setdefault("env", Settings.env)
    if merged["env"] not in ("development", "production", "test"):
        raise ConfigError(f"PBX_ENV: must be development, production or test, got {merged['env']!r}")
    _ensure_secrets(merged)
    settings = Settings(**merged)
    settings.allowed_networks  # validate early: a typo must stop start-up, not every request
    settings.trusted_proxy_networks
    settings.voicemail_allowed_networks
    settings.fax_line_retry_delays
    low, high = FAX_RING_SECONDS_RANGE
    if not low <= settings.fax_ring_seconds <= high:
        raise ConfigError(f"PBX_FAX_RING_SECONDS: between {low} and {high}, got {settings.fax_ring_seconds}")
    return settings
