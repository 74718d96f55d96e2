"""Help text as a user reads it: usage lines and argument names without typer's type labels.

typer writes a required argument list as ``{ISSUE}...`` and adds ``<list[str]>`` after its
name; a user should read ``ISSUE...`` and ``[ISSUE]...``, as in any Unix manual. ``Command``
renders arguments that way; ``App.command`` makes it the class of every command.
"""

from __future__ import annotations

import re

import typer
from typer.core import TyperCommand

# typer's type labels for options without a metavar, and what a manual writes instead.
_TYPE_LABEL = re.compile(r"<(?:list\[)?([^<>\[\]]+)\]?>")
_PLAIN = {"int": "INTEGER", "float": "NUMBER", "str": "TEXT", "Path": "PATH", "bool": ""}


def plain_metavar(text: str) -> str:
    """``<int>`` → ``INTEGER``; ``<list[a|b]>`` → ``[a|b]``: no Python types in help."""
    def plain(m: re.Match) -> str:
        label = m[1]
        return f"[{label}]" if "|" in label else _PLAIN.get(label, label.upper())

    return _TYPE_LABEL.sub(plain, text)


def argument_usage(param) -> str:
    """``ISSUE``, ``ISSUE...``, ``[SEQ]`` or ``[ISSUE]...`` for an argument."""
    name = param.metavar or param.name.upper()
    name = name.strip("[]{}.")  # a metavar written the old way, "[ISSUE]..."
    shown = name if param.required else f"[{name}]"
    return shown + ("..." if param.nargs != 1 else "")


class Command(TyperCommand):
    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [argument_usage(p) for p in self.get_params(ctx)
                         if p.param_type_name == "argument"]

    def format_options(self, ctx, formatter) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((argument_usage(param), record[1]))
            else:
                opts.append((plain_metavar(record[0]), record[1]))
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def exit_codes_epilog() -> str:
    """The exit codes of ``digest.errors.EXIT_CODES`` as a help epilog (kept as laid out)."""
    from digest.errors import EXIT_CODES

    width = max(len(str(code)) for code in EXIT_CODES)
    lines = [f"  {code:<{width}}  {meaning}" for code, meaning in EXIT_CODES.items()]
    return "\b\nExit codes:\n" + "\n".join(lines)


class App(typer.Typer):
    """A Typer whose commands render their help with ``Command``."""

    def command(self, *args, cls=None, **kwargs):
        return super().command(*args, cls=cls or Command, **kwargs)
