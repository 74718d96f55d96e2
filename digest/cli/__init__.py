"""The command line: typer commands, each a thin shell around one core call.

Start-up is what a user feels first, so nothing here imports typer (typer alone costs about 1.8×
a bare `python -c pass`). ``main`` (the console script) hands `digest --help`, `digest` alone and
`digest --version` to ``digest.cli.fasthelp``, which prints click's own rendering kept from an
earlier run; then ordinary command lines of the commands declared with ``fastpath.runs``
(search, list, show, toc, export, summary) to ``digest.cli.fastpath``, which reads them as
click would from a spec kept from an earlier run and calls the command's typer-free body.
Every other command line goes to the typer app of ``digest.cli.root``, whose
command group (``digest.cli.lazy``) imports a command's module only when that command runs or
its own help is asked. ``app`` is importable from here as before (``from digest.cli import app``)
and is loaded on first use.

How to add a command:

1. Write it in a module of this package, on the shared app, as the others are::

       from digest.cli import app
       from digest.cli.common import boundary

       @app.command("name")          # or: sub = App(name="name", cls=PlainValuesGroup, ...)
       @boundary                     #     app.add_typer(sub) for a group of commands
       def name_cmd(...) -> None:
           '''One line that `digest --help` lists.'''

2. Add ``"name": "module"`` to ``COMMANDS`` below, where `digest --help` should list it.

3. For a command run often, put its body in a module that imports no typer (as
   digest/cli/library_run.py, digest/cli/issue_run.py) and declare it with
   ``@fastpath.runs(body)`` under ``@boundary``: the declaration's signature is the body's, its
   own body empty. See digest/cli/fastpath.py.

That is all: the group lists ``COMMANDS`` in order, imports ``digest.cli.module`` the first time
"name" is needed, and builds only that command. tests/test_startup.py fails when a module
registers a command missing from ``COMMANDS`` or the reverse, and checks which modules the hot
commands load. Keep imports of heavy modules inside the command functions.
"""

from __future__ import annotations

import sys

# Command name → the module of digest.cli that registers it, in the order `digest --help` lists
# them (the order the modules used to be imported in, so the help text did not change).
COMMANDS: dict[str, str] = {
    "bookmarks": "bookmarks_cmd",
    "path": "library_cmds",
    "add": "library_cmds",
    "list": "library_cmds",
    "show": "library_cmds",
    "remove": "library_cmds",
    "check": "library_cmds",
    "search": "library_cmds",
    "toc": "issue_cmds",
    "export": "issue_cmds",
    "summary": "summary_cmd",
    "trends": "trends_cmd",
    "library": "library_group",  # a group: `digest library copy`
}


def __getattr__(name: str):
    if name == "app":  # the typer app, built on first use (tests, command modules)
        from digest.cli.root import app

        return app
    raise AttributeError(f"module 'digest.cli' has no attribute {name!r}")


def main() -> None:
    from digest.cli import fasthelp, fastpath

    args = sys.argv[1:]
    fasthelp.serve(args)  # returns only when it cannot answer from its cache

    import signal

    from digest.cli.common import raise_terminated

    signal.signal(signal.SIGTERM, raise_terminated)  # SIGTERM ends a run like Ctrl-C (exit 143)
    kept = fastpath.serve(args)  # returns only when typer must read the command line

    from digest.cli.root import app

    fasthelp.remember(args)
    if not kept:
        fastpath.remember(args)
    app(prog_name="digest")
