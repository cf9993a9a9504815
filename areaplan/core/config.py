"""Configuration: one TOML file (stdlib ``tomllib``), secrets from elsewhere.

Every key is documented in ``config.example.toml``. A bad config fails fast with a
``ConfigError`` naming the key and the fix. Secrets (IMAP/SMTP passwords, OAuth
tokens) are never read from the TOML itself: they come from environment variables
or from a secret file named in the config that only its owner may read.
Sections owned by other stages (``[digest]``, ``[smtp]``, ``[[campaigns]]``) are
kept as raw dicts here and validated by those stages (``digest.settings``).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from areaplan.core.config_keys import check_keys
from areaplan.core.errors import ConfigError

DEFAULT_DB = "var/areaplan.db"
SECRET_KEY_RE = re.compile(r"(password|passwd|secret|token|api_key)$", re.IGNORECASE)


@dataclass(frozen=True)
class ImapAccount:
    name: str
    host: str
    username: str
    port: int
    security: str  # "ssl" (IMAPS), "starttls", or "none" (loopback / tests only)
    auth: str  # "password" or "xoauth2"
    folders: tuple[str, ...]
    ca_file: str | None
    verify_tls: bool
    batch_size: int
    timeout: float
    retries: int
    mark_seen: bool  # only when the config explicitly asks: the inbox belongs to people

    def secret_name(self, what: str) -> str:
        """The environment variable that holds this account's ``what`` (password, oauth2_token)."""
        return f"AREAPLAN_IMAP_{_env_part(self.name)}_{what.upper()}"


@dataclass(frozen=True)
class Config:
    path: Path | None
    db: Path
    imap: tuple[ImapAccount, ...] = ()
    secrets_file: Path | None = None
    zone_overrides: dict[str, int] = field(default_factory=dict)
    senders: dict[str, str] = field(default_factory=dict)  # sender address/domain -> province code
    raw: dict[str, Any] = field(default_factory=dict)  # the whole TOML, for other stages

    def section(self, name: str) -> Any:
        return self.raw.get(name)


def _env_part(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "_", name).upper()


def _check_no_secrets(node: Any, where: str) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}" if where else key
            if SECRET_KEY_RE.search(key) and not key.endswith(("_env", "_file")) and value not in ("", None):
                raise ConfigError(
                    f"{here}: secrets do not belong in the config file; remove it and set the "
                    "environment variable or the secret file instead (see config.example.toml, [secrets])"
                )
            _check_no_secrets(value, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            _check_no_secrets(item, f"{where}[{i}]")


def config_value(
    table: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str, default: Any = ...
) -> Any:
    """``table[key]`` checked to be of ``kind`` (an int is accepted for a float; a bool is
    never taken for an int), or ``default``; a ConfigError naming ``where.key`` otherwise."""
    if key not in table:
        if default is ...:
            raise ConfigError(f"{where}.{key} is required")
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if float in kinds and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
        want = " or ".join(k.__name__ for k in kinds)
        raise ConfigError(f"{where}.{key} must be a {want}, not {value!r}")
    return value


_get = config_value


# What the well-known ports speak: implicit TLS ("ssl") or plain text first ("starttls"/"none").
WELL_KNOWN_IMAP = {993: "ssl", 143: "plain"}
WELL_KNOWN_SMTP = {465: "ssl", 587: "plain", 25: "plain"}


def check_port_matches(where: str, port: int, security: str, well_known: dict[int, str]) -> None:
    """Refuse ``security`` on a well-known port that speaks the other kind (STARTTLS to 993, SSL to 143)."""
    speaks = well_known.get(port)
    if speaks is None or (speaks == "ssl") == (security == "ssl"):
        return
    tls_port = next(p for p, s in well_known.items() if s == "ssl")
    plain_port = next(p for p, s in well_known.items() if s == "plain")
    if speaks == "ssl":
        raise ConfigError(f'{where}: port {port} expects TLS from the first byte, but security = "{security}"; '
                          f'set {where}.security = "ssl", or {where}.port = {plain_port} for STARTTLS')
    raise ConfigError(f'{where}: port {port} speaks plain text first (STARTTLS), but security = "ssl"; '
                      f'set {where}.security = "starttls", or {where}.port = {tls_port} for TLS from the start')


def _imap_account(t: dict[str, Any], index: int, base: Path) -> ImapAccount:
    where = f"imap[{index}]"
    name = _get(t, "name", str, where, default=f"account{index + 1}")
    where = f"imap.{name}"
    security = _get(t, "security", str, where, default="ssl")
    if security not in ("ssl", "starttls", "none"):
        raise ConfigError(f'{where}.security must be "ssl", "starttls" or "none", not {security!r}')
    auth = _get(t, "auth", str, where, default="password")
    if auth not in ("password", "xoauth2"):
        raise ConfigError(f'{where}.auth must be "password" or "xoauth2", not {auth!r}')
    folders = _get(t, "folders", list, where, default=["INBOX"])
    if not folders or not all(isinstance(f, str) and f for f in folders):
        raise ConfigError(f"{where}.folders must be a non-empty list of folder names")
    ca_file = _get(t, "ca_file", str, where, default="") or None
    if ca_file:
        p = Path(ca_file) if Path(ca_file).is_absolute() else base / ca_file
        if not p.is_file():
            raise ConfigError(f"{where}.ca_file {p} does not exist; give the PEM file of your server's CA")
        ca_file = str(p)
    port = _get(t, "port", int, where, default=993 if security == "ssl" else 143)
    check_port_matches(where, port, security, WELL_KNOWN_IMAP)
    batch = _get(t, "batch_size", int, where, default=100)
    if not 1 <= batch <= 5000:
        raise ConfigError(f"{where}.batch_size must be between 1 and 5000, not {batch}")
    return ImapAccount(
        name=name,
        host=_get(t, "host", str, where),
        username=_get(t, "username", str, where),
        port=port,
        security=security,
        auth=auth,
        folders=tuple(folders),
        ca_file=ca_file,
        verify_tls=_get(t, "verify_tls", bool, where, default=True),
        batch_size=batch,
        timeout=_get(t, "timeout", float, where, default=60.0),
        retries=_get(t, "retries", int, where, default=3),
        mark_seen=_get(t, "mark_seen", bool, where, default=False),
    )


def load_config(path: str | os.PathLike[str] | None, db_override: str | None = None) -> Config:
    """Read the config file (or none: the embedded default) and validate it.

    ``db_override`` (``--db`` / ``AREAPLAN_DB``) wins over ``[store].db``.
    """
    raw: dict[str, Any] = {}
    cfg_path: Path | None = None
    if path:
        cfg_path = Path(path)
        try:
            raw = tomllib.loads(cfg_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {cfg_path} not found; copy config.example.toml there or pass --config") from None
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"config file {cfg_path} is not valid TOML: {err}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"config file {cfg_path} is not UTF-8 text") from None
    base = cfg_path.parent if cfg_path else Path.cwd()
    _check_no_secrets(raw, "")
    check_keys(raw, str(cfg_path) if cfg_path else "the config")

    store = raw.get("store", {})
    if not isinstance(store, dict):
        raise ConfigError("[store] must be a table")
    db_value = db_override or _get(store, "db", str, "store", default=DEFAULT_DB)
    db = Path(db_value)
    if not db.is_absolute() and not db_override:
        db = base / db

    imap_raw = raw.get("imap", [])
    if isinstance(imap_raw, dict):
        imap_raw = [imap_raw]
    if not isinstance(imap_raw, list) or not all(isinstance(t, dict) for t in imap_raw):
        raise ConfigError("[[imap]] must be one or more tables (see config.example.toml)")
    accounts = tuple(_imap_account(t, i, base) for i, t in enumerate(imap_raw))
    names = [a.name for a in accounts]
    if len(set(names)) != len(names):
        raise ConfigError(f"imap account names must be unique, got {names}")

    secrets = raw.get("secrets", {})
    secrets_file = _get(secrets, "file", str, "secrets", default="") if isinstance(secrets, dict) else ""
    sf = None
    if secrets_file:
        sf = Path(secrets_file) if Path(secrets_file).is_absolute() else base / secrets_file

    gaz = raw.get("gazetteer", {})
    overrides_raw = _get(gaz, "zone_overrides", dict, "gazetteer", default={}) if isinstance(gaz, dict) else {}
    overrides: dict[str, int] = {}
    for code, zone in overrides_raw.items():
        if not (isinstance(zone, int) and 1 <= zone <= 18) or not re.fullmatch(r"\d{2}", str(code)):
            raise ConfigError(
                f"gazetteer.zone_overrides.{code} = {zone!r}: keys are 2-digit province codes, values zones 1-18"
            )
        overrides[str(code)] = zone

    senders_raw = raw.get("senders", {})
    if not isinstance(senders_raw, dict):
        raise ConfigError('[senders] must be a table of "address-or-domain" = "province code"')
    senders: dict[str, str] = {}
    for addr, code in senders_raw.items():
        if not (isinstance(code, str) and re.fullmatch(r"\d{2}", code)):
            raise ConfigError(f'senders."{addr}" must be a 2-digit province code as a string, not {code!r}')
        senders[addr.lower()] = code

    return Config(
        path=cfg_path,
        db=db,
        imap=accounts,
        secrets_file=sf,
        zone_overrides=overrides,
        senders=senders,
        raw=raw,
    )


def secret(cfg: Config, env_name: str, file_key: str) -> str | None:
    """A secret from the environment variable ``env_name``, else ``file_key`` in the secret file.

    The secret file is TOML (``imap.<account>.password = "..."`` etc.) and must not be
    readable by group or others.
    """
    value = os.environ.get(env_name)
    if value:
        return value
    if cfg.secrets_file is None:
        return None
    data = _read_secret_file(cfg.secrets_file)
    node: Any = data
    for part in file_key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, str) and node else None


def missing_secret(cfg: Config, what: str, env_name: str, file_key: str) -> ConfigError:
    """The error for a secret that is needed and absent: where to put it, and which secret file was read."""
    if cfg.secrets_file is None:
        where = (f"or put {file_key} in a secret file (none is configured: [secrets].file is empty "
                 "or missing; name a chmod 600 TOML file there)")
    else:
        where = f"or {file_key} in the secret file {cfg.secrets_file}"
    return ConfigError(f"{what}: set the environment variable {env_name}, {where}")


def secret_table(cfg: Config, file_key: str) -> dict[str, Any]:
    """A whole table of the secret file (``desk.users``), or {} when there is none."""
    if cfg.secrets_file is None:
        return {}
    node: Any = _read_secret_file(cfg.secrets_file)
    for part in file_key.split("."):
        if not isinstance(node, dict) or part not in node:
            return {}
        node = node[part]
    return node if isinstance(node, dict) else {}


def _read_secret_file(path: Path) -> dict[str, Any]:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ConfigError(f"secret file {path} (secrets.file) not found") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"secret file {path} is readable by others (mode {stat.S_IMODE(st.st_mode):o}); "
            f"run `chmod 600 {path}`"
        )
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"secret file {path} is not valid TOML: {err}") from None
