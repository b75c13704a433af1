"""The click command tree and the runner that turns errors into one line and an exit code.

Layering: the ``cli`` layer; imports click and the command modules.
"""

from __future__ import annotations

import click

from .. import __version__
from ..errors import GorillaError
from . import EXIT_INVALID, EXIT_OK, EXIT_USAGE
from ._common import State, emit, error_line, error_obj, exit_code_for

__all__ = ["cli", "run"]

_EPILOG = """\b
Keys are hex, base64 or @FILE. Repeat --hash-key/--block-key for rotation:
pairs go by position, the first pair encodes, every pair decodes (Go's order).
GORILLA_HASH_KEY / GORILLA_BLOCK_KEY are the fallback (space-separated).

\b
Exit codes: 0 ok, 1 not valid / failed, 2 usage.
Walkthrough: docs/migration.md"""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=_EPILOG,
)
@click.version_option(__version__, prog_name="gorillacompat")
def cli() -> None:
    """Inspect, explain, convert and re-key data written by Go's gorilla/securecookie,
    gorilla/sessions, encoding/gob and boj/redistore; export, import and copy sessions between
    stores (Redis, files, PostgreSQL, memcached, GORM)."""


def _register() -> None:
    from ._cookie import cookie
    from ._copy import copy_cmd, export_cmd, import_cmd
    from ._fs import fs
    from ._gob import gob_group
    from ._keys import keys
    from ._redis import redis_group

    for group in (cookie, gob_group, keys, redis_group, fs, export_cmd, import_cmd, copy_cmd):
        cli.add_command(group)


_register()


def run(argv: list[str]) -> int:
    """Run the command tree; never raises for bad input, bad usage or a failing backend."""
    st = State()
    try:
        rv = cli.main(args=argv, prog_name="gorillacompat", standalone_mode=False, obj=st)
    except click.exceptions.ClickException as exc:
        exc.show()
        return EXIT_USAGE if isinstance(exc, click.UsageError) else EXIT_INVALID
    except click.exceptions.Abort:
        click.echo("gorillacompat: aborted", err=True)
        return EXIT_INVALID
    except GorillaError as exc:
        if st.json:
            emit(error_obj(exc))
        else:
            click.echo(f"gorillacompat: {error_line(exc)}", err=True)
        return exit_code_for(exc)
    except OSError as exc:
        if st.json:
            emit(error_obj(exc))
        else:
            click.echo(f"gorillacompat: {exc}", err=True)
        return EXIT_INVALID
    if isinstance(rv, int):
        return rv
    return EXIT_OK
