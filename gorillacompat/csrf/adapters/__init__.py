"""Web-framework adapters for gorillacompat.csrf: the only csrf modules importing a framework.

Layering: ``csrf`` ← ``csrf.adapters``; each module imports its framework and is importable only
when that framework is installed, so this package imports none of them.

- ``flask``: ``CSRFProtect`` (an extension), ``csrf_token()``/``csrf_field()`` in templates.
- ``starlette``: ``CSRFMiddleware`` and ``csrf_token``/``csrf_field``/``csrf_verdict``.
- ``fastapi``: the Starlette middleware plus the ``CSRFToken``/``CSRFVerdict`` dependencies.
- ``django``: ``CSRFMiddleware``, the ``gorilla_csrf_exempt`` decorator, a context processor.

Each does what ``csrf.Protect`` does around a Go handler: refuse with Go's 403
``Forbidden - <reason>`` (or call your error handler with the ``CSRFError``), send the new
cookie when there was none, add ``Vary: Cookie`` to what passes, and skip exempt views (Go:
``csrf.UnsafeSkipCheck``).
"""
