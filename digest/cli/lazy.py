"""The command group of ``digest``: it knows every command's name, and imports and builds a
command only when it is used.

Why: building the group the typer way imports every command module (and through them the
library, the models, the parsers' option types) and turns every function signature into click
parameters; `digest search` paid for eleven commands it does not run. Here the group's
``commands`` is a ``LazyCommands`` mapping: its keys are ``digest.cli.COMMANDS`` in order, and
looking one up imports ``digest.cli.<module>`` (which registers its commands on the app as
before) and builds that one command with typer's own ``get_command_from_info`` (or
``get_group_from_info`` for a group added with ``app.add_typer``). typer's group reads
``commands`` for everything - running a command, listing them in help, completion, "Did you
mean" suggestions - so all of these work unchanged; listing them in `digest --help` or
completing a command name builds them all.

This is click's documented lazy-loading pattern (a group whose ``get_command`` imports on
demand), done through the mapping so that typer's own ``resolve_command`` and ``list_commands``
see the lazy names too.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from importlib import import_module

import typer.main
from typer.core import TyperGroup

from digest.cli.plain_values import _UNHANDLED, plain_converter


class LazyCommands(MutableMapping):
    """``digest.cli.COMMANDS`` as click commands, each built on first lookup."""

    def __init__(self, built: dict | None = None):
        from digest.cli import COMMANDS

        self._modules = COMMANDS
        self._built = dict(built or {})

    def __getitem__(self, name: str):
        if name not in self._built:
            if name not in self._modules:
                raise KeyError(name)
            self._built[name] = build(name, self._modules[name])
        return self._built[name]

    def __contains__(self, name: object) -> bool:  # without building it
        return name in self._modules or name in self._built

    def __iter__(self) -> Iterator[str]:
        yield from self._modules
        yield from (name for name in self._built if name not in self._modules)

    def __len__(self) -> int:
        return len(self._modules.keys() | self._built.keys())

    def __setitem__(self, name: str, command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]


def build(name: str, module: str):
    """Import ``digest.cli.<module>`` and build its command (or group) called ``name``."""
    from digest.cli.root import app

    import_module(f"digest.cli.{module}")
    for info in app.registered_commands:
        command_name = info.name or typer.main.get_command_name(info.callback.__name__)
        if command_name == name:
            return typer.main.get_command_from_info(
                info, pretty_exceptions_short=app.pretty_exceptions_short,
                rich_markup_mode=app.rich_markup_mode)
    for info in app.registered_groups:
        group = typer.main.get_group_from_info(
            info, pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=app.rich_markup_mode, suggest_commands=app.suggest_commands)
        if group.name == name:
            return group
    raise LookupError(f"digest.cli.{module} registers no command {name!r}: see digest.cli.COMMANDS")


def use_plain_values(command, ctx) -> None:
    # get_params: with --help, which is not in ``params`` (and needs a context).
    for param in command.get_params(ctx) if ctx is not None else command.params:
        if getattr(param, "_runtime_param", _UNHANDLED) is None:
            converter = plain_converter(param)
            if converter is not None:
                param._runtime_param = converter


class PlainValuesGroup(TyperGroup):
    """The command group of ``digest``: its commands convert plain values without pydantic."""

    def get_command(self, ctx, cmd_name: str):
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            use_plain_values(command, ctx)
        return command

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        use_plain_values(self, ctx)
        return super().parse_args(ctx, args)


class LazyGroup(PlainValuesGroup):
    """``digest``'s group: commands from ``digest.cli.COMMANDS``, imported when used."""

    def __init__(self, *, commands=None, **attrs):
        super().__init__(commands=LazyCommands(commands), **attrs)
