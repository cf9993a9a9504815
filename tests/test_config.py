"""Configuration fails fast with the key and the fix; secrets never come from the TOML."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from ingest_helpers import run_cli

from areaplan.core.config import ConfigError, load_config, secret


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_no_config_means_the_embedded_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = load_config(None)
    assert cfg.imap == () and cfg.db == tmp_path / "var" / "areaplan.db"


def test_db_override_wins_over_the_config(tmp_path):
    cfg = load_config(write(tmp_path, '[store]\ndb = "x.db"\n'), db_override="/tmp/y.db")
    assert cfg.db == Path("/tmp/y.db")


def test_a_password_in_the_toml_is_refused(tmp_path):
    p = write(tmp_path, '[[imap]]\nhost = "h"\nusername = "u"\npassword = "hunter2"\n')
    with pytest.raises(ConfigError, match=r"imap\[0\]\.password: secrets do not belong"):
        load_config(p)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('[[imap]]\nusername = "u"\n', "imap.account1.host is required"),
        ('[[imap]]\nhost = "h"\nusername = "u"\nsecurity = "tls"\n', 'security must be "ssl"'),
        ('[[imap]]\nhost = "h"\nusername = "u"\nport = "993"\n', "port must be a int"),
        ('[[imap]]\nhost = "h"\nusername = "u"\nfolders = []\n', "folders must be a non-empty list"),
        ('[gazetteer]\nzone_overrides = { "50" = 40 }\n', "zone_overrides.50"),
        ('[senders]\n"a@b.c" = 55\n', 'senders."a@b.c"'),
        ("[store\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path, text, needle):
    with pytest.raises(ConfigError, match=None) as err:
        load_config(write(tmp_path, text))
    assert needle in str(err.value)


def test_bad_config_on_the_command_line_is_one_line_and_exit_2(tmp_path):
    p = write(tmp_path, '[[imap]]\nhost = "h"\nusername = "u"\nsecurity = "tls"\n')
    result = run_cli("--config", str(p), "poll")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "security" in result.stderr


def test_a_missing_config_file_says_how_to_make_one(tmp_path):
    result = run_cli("--config", str(tmp_path / "nope.toml"), "poll")
    assert result.returncode == 2 and "config.example.toml" in result.stderr


def test_secrets_come_from_the_environment_first(tmp_path, monkeypatch):
    sf = tmp_path / "secrets.toml"
    sf.write_text('[imap.dopa]\npassword = "from-file"\n')
    sf.chmod(0o600)
    cfg = load_config(write(tmp_path, f'[secrets]\nfile = "{sf}"\n'))
    assert secret(cfg, "AREAPLAN_IMAP_DOPA_PASSWORD", "imap.dopa.password") == "from-file"
    monkeypatch.setenv("AREAPLAN_IMAP_DOPA_PASSWORD", "from-env")
    assert secret(cfg, "AREAPLAN_IMAP_DOPA_PASSWORD", "imap.dopa.password") == "from-env"


def test_a_secret_file_readable_by_others_is_refused(tmp_path):
    sf = tmp_path / "secrets.toml"
    sf.write_text('[imap.dopa]\npassword = "x"\n')
    os.chmod(sf, 0o644)
    cfg = load_config(write(tmp_path, f'[secrets]\nfile = "{sf}"\n'))
    with pytest.raises(ConfigError, match="chmod 600"):
        secret(cfg, "AREAPLAN_NOT_SET", "imap.dopa.password")


def test_the_example_config_is_valid(tmp_path):
    example = Path(__file__).parent.parent / "config.example.toml"
    cfg = load_config(example)
    assert cfg.imap[0].host == "imap.gmail.com" and not cfg.imap[0].mark_seen


def test_the_example_config_has_the_zone_selection_stage_and_the_province_side_off():
    from areaplan.digest.settings import load_campaigns, load_province_contacts

    cfg = load_config(Path(__file__).parent.parent / "config.example.toml")
    campaigns = {c.id: c for c in load_campaigns(cfg)}
    stage = campaigns["zone_selection_2021"]
    assert (stage.kind, stage.nominations, stage.scale) == ("zone_selection", "role_model_2021", 10)
    assert not any(c.acknowledge or c.remind_after or c.remind_days_before is not None for c in campaigns.values())
    assert load_province_contacts(cfg).emails == {}


@pytest.mark.parametrize("entry, match", [
    ('remind_days_before = 99', "remind_days_before"),
    ('acknowledge = "yes"', "acknowledge"),
])
def test_a_bad_province_side_switch_names_the_key(tmp_path, entry, match):
    from areaplan.digest.settings import load_campaigns

    cfg = load_config(write(tmp_path, f"""
[[campaigns]]
id = "r"
kind = "role_model"
title_th = "x"
deadline = 2021-03-31
{entry}
"""))
    with pytest.raises(ConfigError, match=match):
        load_campaigns(cfg)


def test_a_province_contact_must_be_an_address_under_a_province_code(tmp_path):
    from areaplan.digest.settings import load_province_contacts

    with pytest.raises(ConfigError, match="provinces"):
        load_province_contacts(load_config(write(tmp_path, '[provinces]\n"ลพบุรี" = ["a@b.go.th"]\n')))
    with pytest.raises(ConfigError, match="not an email address"):
        load_province_contacts(load_config(write(tmp_path, '[provinces]\n"16" = ["not an address"]\n')))


@pytest.mark.parametrize(
    ("text", "key", "nearest"),
    [
        ('[[imap]]\nhost = "h"\nusername = "u"\nsecuirty = "ssl"\n', "imap[0].secuirty", "imap.security"),
        ('[digest.recipents]\nnational = ["a@example.org"]\n', "digest.recipents", "digest.recipients"),
        ('[schedul]\npoll_minutes = 5\n', "schedul", "schedule"),
        ('[smtp]\nhost = "h"\nusername = "u"\ntimout = 5\n', "smtp.timout", "smtp.timeout"),
        ('[[campaigns]]\nid = "bp"\nkind = "best_practice"\ntitle_th = "t"\nstart = "2021-01"\ndueday = 25\n',
         "campaigns[0].dueday", "campaigns.due_day"),
        ('[provinces]\n"16" = { emial = ["a@example.org"] }\n', "provinces.16.emial", "provinces.16.email"),
    ],
)
def test_an_unknown_key_is_refused_naming_it_and_the_nearest_valid_key(tmp_path, text, key, nearest):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))

    assert f'unknown key "{key}"' in str(err.value)
    assert f'did you mean "{nearest}"' in str(err.value)


def test_an_unknown_key_with_nothing_close_lists_the_valid_keys_of_its_table(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[store]\nzzz = 1\n'))

    assert 'unknown key "store.zzz"' in str(err.value) and "valid keys here: db" in str(err.value)


def test_an_unknown_key_on_the_command_line_is_exit_2_with_one_line_that_says_what_to_do(tmp_path):
    p = write(tmp_path, '[digest.recipents]\nnational = ["planning@example.org"]\n')

    result = run_cli("--config", str(p), "--db", str(tmp_path / "a.db"), "digest", "--dry-run")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert 'unknown key "digest.recipents"' in result.stderr and '"digest.recipients"' in result.stderr
    assert "Correct the spelling" in result.stderr


def test_the_example_config_loads_with_every_stage(tmp_path, monkeypatch):
    from areaplan.digest.settings import (
        load_campaigns,
        load_digest_settings,
        load_province_contacts,
        load_schedule,
        load_smtp_settings,
    )

    monkeypatch.setenv("AREAPLAN_SMTP_PASSWORD", "x" * 16)
    text = (Path(__file__).resolve().parent.parent / "config.example.toml").read_text(encoding="utf-8")
    cfg = load_config(write(tmp_path, text))

    assert [a.name for a in cfg.imap] == ["dopa"]
    assert load_smtp_settings(cfg).port == 587
    assert load_schedule(cfg).digest_hour == 7
    assert len(load_campaigns(cfg)) == 3
    assert load_digest_settings(cfg).retry_days == 3
    assert load_province_contacts(cfg).cc_zone_inspectors is False


def test_every_valid_key_is_documented_in_the_example_config():
    from areaplan.core.config_keys import SCHEMA, Free, Tables

    text = (Path(__file__).resolve().parent.parent / "config.example.toml").read_text(encoding="utf-8")
    missing = []
    for section, spec in SCHEMA.items():
        keys = spec.keys if isinstance(spec, Tables) else ({} if isinstance(spec, Free) else spec)
        if f"[{section}]" not in text and f"[[{section}]]" not in text:
            missing.append(section)
        missing += [f"{section}.{k}" for k in keys
                    if f"{k} =" not in text and f"[{section}.{k}]" not in text]

    assert missing == []


@pytest.mark.parametrize(
    ("text", "fix"),
    [
        ('[[imap]]\nhost = "h"\nusername = "u"\nsecurity = "starttls"\nport = 993\n', 'imap.account1.security = "ssl"'),
        ('[[imap]]\nhost = "h"\nusername = "u"\nsecurity = "ssl"\nport = 143\n', 'imap.account1.security = "starttls"'),
    ],
)
def test_security_that_contradicts_a_well_known_imap_port_is_refused_before_connecting(tmp_path, text, fix):
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text))

    assert fix in str(err.value)


@pytest.mark.parametrize(
    ("security", "port", "fix"),
    [("starttls", 465, 'smtp.security = "ssl"'), ("ssl", 587, 'smtp.security = "starttls"'),
     ("none", 465, 'smtp.security = "ssl"')],
)
def test_security_that_contradicts_a_well_known_smtp_port_is_refused(tmp_path, security, port, fix):
    from areaplan.digest.settings import load_smtp_settings

    cfg = load_config(write(tmp_path, f'[smtp]\nhost = "127.0.0.1"\nsecurity = "{security}"\nport = {port}\n'))

    with pytest.raises(ConfigError) as err:
        load_smtp_settings(cfg)
    assert fix in str(err.value)


def test_the_parse_budgets_come_from_the_config_and_are_checked(tmp_path):
    from areaplan.app.parse_job import parse_settings
    from areaplan.core.config import load_config
    from areaplan.core.errors import ConfigError

    path = tmp_path / "c.toml"
    path.write_text("[parse]\nseconds_per_message = 20\nmemory_mb_per_message = 512\n")
    settings = parse_settings(load_config(path))
    assert (settings.seconds_per_message, settings.memory_per_message) == (20.0, 512 << 20)
    path.write_text("[parse]\nmemory_mb_per_message = 8\n")
    with pytest.raises(ConfigError, match="parse.memory_mb_per_message must be between 64"):
        parse_settings(load_config(path))
