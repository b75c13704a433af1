"""The pure rules: SQLite's time text, URLs, statements, plans, loading (no database)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from gorillacompat.gormstore import CorruptRowError, GormStoreConfigError
from gorillacompat.gormstore._core import Delete, GormStoreRules, Write, default_options
from gorillacompat.gormstore._dialects import DIALECTS, parse_url, sqlite_time
from gorillacompat.sessions.session import Session

from .conftest import KEYS

T0 = 1_700_000_000.25


def rules() -> GormStoreRules:
    return GormStoreRules(tuple(KEYS), default_options(), max_length=4096, clock=lambda: T0,
                          random_bytes=lambda n: b"\x01" * n)  # fmt: skip


@pytest.mark.parametrize(
    ("when", "zone", "text"),
    [
        # go-sqlite3 binds time.Time as t.Format("2006-01-02 15:04:05.999999999-07:00").
        (datetime(2026, 12, 4, 7, 16, 35, 197732, timezone.utc), timezone.utc,
         "2026-12-04 07:16:35.197732+00:00"),
        (datetime(2026, 12, 4, 7, 16, 35, 0, timezone.utc), timezone.utc, "2026-12-04 07:16:35+00:00"),
        (datetime(2026, 12, 4, 7, 16, 35, 500000, timezone.utc), ZoneInfo("Europe/Berlin"),
         "2026-12-04 08:16:35.5+01:00"),
        (datetime(2026, 1, 1, 2, 0, 0, 10, timezone.utc), ZoneInfo("America/St_Johns"),
         "2025-12-31 22:30:00.00001-03:30"),
    ],
)  # fmt: skip
def test_sqlite_time_is_go_sqlite3s_text(when: datetime, zone: ZoneInfo, text: str) -> None:
    assert sqlite_time(when, zone) == text


def test_mysql_time_is_the_wall_time_in_the_dsn_zone() -> None:
    when = datetime(2026, 6, 1, 12, 0, 0, 123456, timezone.utc)
    assert DIALECTS["mysql"].time(when, ZoneInfo("Europe/Berlin")) == datetime(2026, 6, 1, 14, 0, 0, 123456)
    assert DIALECTS["postgres"].time(when, ZoneInfo("Europe/Berlin")) is when


@pytest.mark.parametrize(
    ("url", "dialect", "kw"),
    [
        ("postgresql://u@h/db", "postgres", {"conninfo": "postgresql://u@h/db"}),
        ("sqlite:////tmp/x.db", "sqlite", {"database": "/tmp/x.db"}),
        ("sqlite:///x.db", "sqlite", {"database": "x.db"}),
        ("mysql://a%40b:p%3Aw@db.example:3307/app", "mysql",
         {"host": "db.example", "port": 3307, "user": "a@b", "password": "p:w", "database": "app"}),
    ],
)  # fmt: skip
def test_parse_url(url: str, dialect: str, kw: dict[str, object]) -> None:
    assert parse_url(url) == (dialect, kw)


@pytest.mark.parametrize("url", ["redis://h", "sqlite://", "mysql://h/db?loc=Local", "x"])
def test_parse_url_refuses(url: str) -> None:
    with pytest.raises(GormStoreConfigError):
        parse_url(url)


def test_table_names_are_quoted_like_gorm() -> None:
    pg = DIALECTS["postgres"].statements('app.we"b')
    assert pg.delete == 'DELETE FROM "app"."we""b" WHERE id = %s'
    assert pg.has_table_params == ("app", 'we"b')
    lite = DIALECTS["sqlite"].statements("s")
    assert lite.select == "SELECT data FROM `s` WHERE id = ? AND expires_at > ? LIMIT 1"


def test_plan_save_expires_now_plus_max_age_and_a_fresh_52_char_id() -> None:
    r = rules()
    sess = Session("session", None, options=r.options.copy(), is_new=True)
    plan = r.plan_save(sess)
    assert isinstance(plan, Write) and plan.session_id == ""
    assert (
        len(plan.fresh_id) == 52 and plan.fresh_id == "AEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQCAIBAEAQ"
    )
    assert plan.now == datetime.fromtimestamp(T0, timezone.utc)
    assert plan.expires_at - plan.now == timedelta(days=30)
    sess.options.max_age = 0
    zero = r.plan_save(sess)
    assert isinstance(zero, Write) and zero.expires_at == zero.now  # Go: dead at once


def test_plan_save_negative_max_age_deletes_and_clears() -> None:
    r = rules()
    sess = Session("session", None, options=r.options.copy(), is_new=False)
    sess.id, sess.values["a"] = "ID", 1
    sess.options.max_age = -1
    plan = r.plan_save(sess)
    assert plan == Delete("ID", datetime.fromtimestamp(T0, timezone.utc)) and not sess.values
    assert r.cookie_after(sess, plan, "").startswith("session=; Path=/; Expires=Thu, 01 Jan 1970")


def test_finish_load_corrupt_rows_set_the_error() -> None:
    r = rules()
    for data, kind in ((b"bytes", CorruptRowError), (None, CorruptRowError), ("garbage", Exception)):
        sess = Session("session", None, options=r.options.copy(), is_new=True)
        r.finish_load(sess, (data,))
        assert sess.is_new and isinstance(sess.error, kind)
    missing = Session("session", None, options=r.options.copy(), is_new=True)
    r.finish_load(missing, None)
    assert missing.is_new and missing.error is None


def test_config_errors() -> None:
    with pytest.raises(GormStoreConfigError):
        GormStoreRules((), default_options(), max_length=1, clock=None, random_bytes=None)
    with pytest.raises(GormStoreConfigError):
        rules().max_length = -1


@pytest.mark.parametrize("dialect", ["postgres", "mysql", "sqlite"])
def test_an_empty_table_name_is_sessions(dialect: str) -> None:
    """Go: ``NewOptions`` with ``TableName: ""`` uses "sessions"; sync and async shells alike."""
    assert DIALECTS[dialect].statements("") == DIALECTS[dialect].statements("sessions")
