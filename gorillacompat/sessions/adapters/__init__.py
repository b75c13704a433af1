"""Web-framework adapters: the only modules of gorillacompat that import a web framework.

Layering: ``sessions`` ← ``adapters``; each module imports its framework and is importable only
when that framework is installed, so this package imports none of them.

- ``wsgi``: plain WSGI middleware (``environ["gorillacompat.sessions"]``).
- ``asgi``: plain ASGI middleware (``scope["session"]``, Starlette's ``request.session``).
- ``flask``: a Flask ``SessionInterface`` (``flask.session`` is the Go session).
- ``starlette`` / ``fastapi``: the ASGI middleware plus the ``go_session`` dependency / ``GoSession``.
- ``django``: middleware and a ``SessionBase`` backend (``request.session``).
"""
