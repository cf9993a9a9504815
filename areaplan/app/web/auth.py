"""Who may use the desk: users from the secret file, PBKDF2 password hashes, three roles.

Secret file (chmod 600)::

    [desk.users.somchai]
    password_hash = "pbkdf2_sha256$480000$<salt>$<base64 hash>"   # areaplan serve --hash-password
    role = "staff"            # staff | inspector | analyst
    [desk.users.inspector3]
    password_hash = "..."
    role = "inspector"
    zone = 3

The hash format is the one datasette-auth-passwords writes. There is no default password.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from areaplan.core.config import Config, ConfigError, secret_table

ITERATIONS = 480_000
ROLES = {"staff": "เจ้าหน้าที่กองแผน", "inspector": "ผู้ตรวจราชการเขต", "analyst": "ผู้วิเคราะห์ข้อมูล (อ่านอย่างเดียว)"}


@dataclass(frozen=True)
class User:
    name: str
    role: str
    zone: int | None
    password_hash: str

    def actor(self) -> dict[str, Any]:
        return {"id": self.name, "role": self.role, "zone": self.zone}


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("utf-8"), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode('ascii').strip()}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        algorithm, iterations, salt, _ = encoded.split("$", 3)
        if algorithm != "pbkdf2_sha256":
            return False
        candidate = hash_password(password, salt, int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.encode(), encoded.encode())


def load_users(cfg: Config) -> dict[str, User]:
    """The desk users of the secret file; a wrong entry is a ConfigError naming it."""
    users = {}
    for name, entry in secret_table(cfg, "desk.users").items():
        where = f"secret file [desk.users.{name}]"
        if not isinstance(entry, dict) or not str(entry.get("password_hash", "")).startswith("pbkdf2_sha256$"):
            raise ConfigError(f"{where}: password_hash must be a pbkdf2_sha256 hash (areaplan serve --hash-password)")
        role = entry.get("role")
        if role not in ROLES:
            raise ConfigError(f"{where}: role must be one of {', '.join(ROLES)}")
        zone = entry.get("zone")
        if role == "inspector" and not (isinstance(zone, int) and 1 <= zone <= 18):
            raise ConfigError(f"{where}: an inspector needs zone = 1..18")
        users[name] = User(name, role, zone if role == "inspector" else None, entry["password_hash"])
    return users


# ----------------------------------------------------------------------------- role checks

def role_of(actor: dict[str, Any] | None) -> str | None:
    return actor.get("role") if isinstance(actor, dict) and actor.get("role") in ROLES else None


def may(actor: dict[str, Any] | None, what: str, zone: int | None = None) -> bool:
    """The one role check of the desk.

    ``what``: "desk" (the desk pages; ``zone`` the zone a page shows, None for all zones),
    "decide", "sql" (Datasette's tables and queries), "raw" (a raw message of ``zone``).
    """
    role = role_of(actor)
    if role is None:
        return False
    if role == "staff":
        return True
    if role == "analyst":
        return what in ("desk", "sql", "raw")
    # inspector: only their own zone's desk pages and raw messages; no SQL, no decisions
    return what in ("desk", "raw") and zone is not None and zone == actor.get("zone")
