"""Ordinary command lines of `digest search`, `list`, `show`, `toc` … run without importing typer.

Measured (python -X importtime, and whole processes beside `python -c pass`): importing typer
costs about 1.5× the interpreter's own start-up, so no command run through typer can come
within 3× of `python -c pass`. A command whose typer declaration says ``@runs(body)`` has its
body in a typer-free module (digest/cli/library_run.py, issue_run.py); typer calls that body
with the values it read, and so does this module, which reads the command line itself when it
can be sure of reading it as click would:

- The first time a command runs through typer, ``remember`` keeps a *spec* of it in the user
  cache folder (``command-NAME.json``): what click's own parser of that command, and of the
  root group before it, are made of (option strings, actions, the arguments' nargs, the prefix
  characters), each parameter's converter (``PlainValues``: str, int with its range, flags,
  lists, an importable Enum), default, whether it is required, its callback (only those of
  ``FAST_CALLBACK_MODULES``, which do not import typer), the context's settings and the body's
  ``module:name``. Everything is read from click's objects, never written twice by hand.
- ``serve`` then parses the command line with the same algorithm as click's parser
  (``_Parser``: long and short options, ``--opt=value``, ``-n5``, ``--``, unknown options kept
  as arguments where the command ignores them), converts and checks the values as typer would,
  runs the callbacks in click's order, sets the root options (``--debug``, ``-q``) and calls the
  body inside the same ``boundary``.

Whatever it is not sure of - an unknown option, ``--help`` or ``--version``, a value that does
not convert exactly, a missing or extra argument, shell completion, a spec missing, damaged or
kept under another key - it returns before printing anything, and the whole command line goes
to typer as before: every error message, exit code and help stays click's own, and typer's run
keeps the spec again. The key is that of the kept help (digest/cli/fasthelp.py): digest's and
Python's versions and a checksum over the sizes and mtimes of digest's modules and typer's.
tests/test_fastpath.py runs tables of command lines both ways and compares the bytes.
"""

from __future__ import annotations

import functools
import os
import sys

SPEC_VERSION = 1
# Modules whose parameter callbacks the fast path may call: they do not import typer, and take
# ``(ctx, value)`` reading only ``ctx.resilient_parsing``.
FAST_CALLBACK_MODULES = ("digest.cli.formats",)


class Unsure(Exception):
    """The fast path cannot be certain to read this command line as click would: typer must."""


def runs(body):
    """Make a typer declaration (its signature, help and options) run ``body`` with its values;
    the fast path finds ``body`` through the ``fast_body`` attribute and calls it directly."""

    def declare(declaration):
        @functools.wraps(declaration)
        def command(**kwargs):
            return body(**kwargs)

        command.fast_body = f"{body.__module__}:{body.__qualname__}"
        return command

    return declare


# --- running a command line from its spec ----------------------------------------------------


def serve(args: list[str]) -> bool:
    """Run ``args`` from a kept spec and exit; or return, having printed nothing, so that typer
    runs them. Returns whether a spec under the current key was found (else typer's run should
    ``remember`` one)."""
    from digest.cli.fasthelp import completing

    if completing():
        return True
    try:
        name = _command_name(args)
        spec = _load(name)
    except Unsure:
        return True  # no command named: nothing to remember
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if spec.get("command") is None:  # a command typer always runs (a group, no body)
        return True
    try:
        root_values, rest = read_command_line(spec["root"], args, command_follows=True)
        if rest[0] != name:  # a root option took it as its value
            raise Unsure
        _body(spec["root"])(**root_values)  # --debug, -q: set before the command is read, as
        values, _ = read_command_line(spec["command"], rest[1:])  # click's group does
    except Unsure:
        return True  # (typer sets the root options again)
    except Exception:  # noqa: BLE001 - a spec that does not fit this code: keep a new one
        return False
    _run(spec["command"], values)
    return True  # not reached: _run exits


def _run(spec: dict, values: dict) -> None:
    from digest.cli.common import boundary

    boundary(_body(spec))(**values)
    sys.exit(0)


def _body(spec: dict):
    from importlib import import_module

    module, _, name = spec["body"].partition(":")
    return getattr(import_module(module), name)


def _command_name(args: list[str]) -> str:
    """The command ``args`` name (its first word that is not an option), if digest has it."""
    from digest.cli import COMMANDS

    for word in args:
        if not word.startswith("-"):
            if word in COMMANDS:
                return word
            break
    raise Unsure


def read_command_line(spec: dict, args: list[str], command_follows: bool = False) -> tuple[dict, list]:
    """The body's keyword arguments for ``args`` as click and typer would make them, and the
    words left (a group's command and its arguments); ``Unsure`` where click would not simply
    accept them."""
    parser = _Parser(spec)
    given, order, left = parser.parse(args)
    params = spec["params"]
    if command_follows:
        if not left:
            raise Unsure  # `digest --debug` alone: help
    elif left and not spec["extra_args"]:
        raise Unsure  # click: "Got unexpected extra argument"
    values, callbacks = {}, []
    for index in _processing_order(params, order):
        param = params[index]
        raw = given.get(param["name"])
        if raw is not None and param["given"] == "unsure":
            raise Unsure  # --help, --version, completion: click's own actions
        if raw is None and param["kind"] is None:
            continue  # --help not given: nothing to pass
        value = _convert(param, param["default"] if raw is None else raw)
        if param["required"] and _missing(param, value):
            raise Unsure  # click: "Missing argument"
        if param["callback"]:
            callbacks.append((index, value))
        elif param["expose"]:
            values[param["name"]] = _plain_collection(param, value)
    for index, value in callbacks:  # after every value converted: the same first error as click
        param = params[index]
        value = _callback(param["callback"])(_CONTEXT, _plain_collection(param, value))
        if param["expose"]:
            values[param["name"]] = _plain_collection(param, value)
    return values, left


class _Context:
    """What the callbacks of ``FAST_CALLBACK_MODULES`` read of click's context."""

    resilient_parsing = False


_CONTEXT = _Context()


def _processing_order(params: list[dict], order: list[int]) -> list[int]:
    """click's ``iter_params_for_processing``: eager ones first, then as given, then declared."""
    def key(index: int) -> tuple[bool, float]:
        return not params[index]["eager"], order.index(index) if index in order else float("inf")

    return sorted(range(len(params)), key=key)


def _convert(param: dict, value):
    """The value as typer converts it (``PlainValues``), or ``Unsure``."""
    from digest.cli.plain_values import _UNHANDLED, PlainValues

    kind = param["kind"]
    if kind is None:
        raise Unsure
    if kind == "bool" and type(value) is bool:  # typer does not convert a flag's value
        return value
    if isinstance(value, list):
        value = tuple(value)
    got = PlainValues(_kind(kind), param["multiple"], param["low"], param["high"])._convert(value)
    if got is _UNHANDLED:
        raise Unsure
    return got


def _kind(kind: str):
    if kind in ("str", "int", "bool"):
        return {"str": str, "int": int, "bool": bool}[kind]
    from importlib import import_module

    module, _, name = kind.partition(":")
    return getattr(import_module(module), name)


def _missing(param: dict, value) -> bool:
    return value is None or ((param["nargs"] != 1 or param["multiple"]) and value in ((), []))


def _plain_collection(param: dict, value):
    """typer's ``_normalize_collection_value``: a list, or None for an empty one defaulting to
    None."""
    if value is None or not (param["multiple"] or param["nargs"] == -1):
        return value
    if param["default"] is None and len(value) == 0:
        return None
    return list(value)


def _callback(target: str):
    module, _, name = target.partition(":")
    if module not in FAST_CALLBACK_MODULES:
        raise Unsure
    from importlib import import_module

    return getattr(import_module(module), name)


def _unpack(args: list[str], counts: list[int]) -> tuple[list, list[str]]:
    """click's ``_unpack_args`` for arguments of one value and at most one of any number (-1):
    those before it take words from the front, those after it from the end."""
    if any(n not in (1, -1) for n in counts) or counts.count(-1) > 1:
        raise Unsure
    words = list(args)
    star = counts.index(-1) if -1 in counts else len(counts)
    front = [words.pop(0) if words else None for _ in counts[:star]]
    if star == len(counts):
        return front, words
    back = [words.pop() if words else None for _ in counts[star + 1:]]
    return [*front, tuple(words), *reversed(back)], []


class _Parser:
    """click's ``_OptionParser`` over a spec: the same steps, in the same order."""

    def __init__(self, spec: dict):
        self.options = spec["options"]
        self.opts = {opt: option for option in self.options for opt in option["opts"]}
        self.short = {opt for option in self.options for opt in option["short"]}
        self.prefixes = set(spec["prefixes"])
        self.arguments = spec["arguments"]
        self.interspersed = spec["interspersed"]
        self.ignore_unknown = spec["ignore_unknown"]

    def parse(self, args: list[str]) -> tuple[dict, list[int], list[str]]:
        self.given, self.order, self.largs, self.rargs = {}, [], [], list(args)
        while self.rargs:
            arg = self.rargs.pop(0)
            if arg == "--":
                break
            if arg[:1] in self.prefixes and len(arg) > 1:
                self._option(arg)
            elif self.interspersed:
                self.largs.append(arg)
            else:
                self.rargs.insert(0, arg)
                break
        values, left = _unpack(self.largs + self.rargs, [a["nargs"] for a in self.arguments])
        for argument, value in zip(self.arguments, values):
            if argument["nargs"] == -1 and value == ():
                value = None  # click: an empty star is "not given", so its default applies
            self.given[argument["name"]] = value
            self.order.append(argument["param"])
        return self.given, self.order, left

    def _option(self, arg: str) -> None:
        long_opt, eq, explicit = arg.partition("=")
        option = self.opts.get(long_opt)
        if option is not None and long_opt not in self.short:
            if option["action"] != "store_const":  # a value: "store" or "append"
                if eq:
                    self.rargs.insert(0, explicit)
                self._take(option, self._value())
            elif eq:
                raise Unsure  # click: "Option does not take a value"
            else:
                self._take(option, None)
            return
        if arg[:2] in self.prefixes:  # "--x" unknown: an error, or an argument if ignored
            if not self.ignore_unknown:
                raise Unsure
            self.largs.append(arg)
            return
        self._short(arg)

    def _short(self, arg: str) -> None:
        prefix, unknown = arg[0], []
        for i, ch in enumerate(arg[1:], start=2):
            option = self.opts.get(prefix + ch) if prefix + ch in self.short else None
            if option is None:
                if not self.ignore_unknown:
                    raise Unsure
                unknown.append(ch)
                continue
            if option["action"] != "store_const":
                if i < len(arg):
                    self.rargs.insert(0, arg[i:])
                self._take(option, self._value())
                break
            self._take(option, None)
        if unknown:
            self.largs.append(prefix + "".join(unknown))

    def _value(self) -> str:
        if not self.rargs:
            raise Unsure  # click: "Option requires an argument"
        return self.rargs.pop(0)

    def _take(self, option: dict, value) -> None:
        action, name = option["action"], option["name"]
        if action == "store":
            self.given[name] = value
        elif action == "store_const":
            self.given[name] = option["const"]
        else:  # "append": _describe lets no other action through
            self.given.setdefault(name, []).append(value)
        self.order.append(option["param"])


# --- keeping specs ---------------------------------------------------------------------------


def _cache_file(name: str) -> tuple[str, str]:
    from digest import usercache
    from digest.cli.fasthelp import source_key

    return os.path.join(usercache.folder(), f"command-{name}.json"), source_key()


def _load(name: str) -> dict:
    """The kept spec of command ``name``; ValueError or OSError when there is none to trust."""
    import json

    from digest import usercache

    spec = json.loads(usercache.read_keyed(*_cache_file(name)))
    if spec.get("version") != SPEC_VERSION:
        raise ValueError("another version")
    return spec


def remember(args: list[str]) -> None:
    """Keep the spec of the command ``args`` name (typer runs it next; a run of typer only)."""
    import json

    try:
        name = _command_name(args)
        path, key = _cache_file(name)
        text = json.dumps(describe(name), ensure_ascii=False)
    except Exception:  # noqa: BLE001 - a typer whose insides differ: typer runs every time
        return
    from digest import usercache

    usercache.write_keyed(path, key, text)


def describe(name: str) -> dict:
    """The spec of command ``name`` from click's objects (``command`` None: typer always runs
    it, being a group, having no ``runs`` body, or a parameter the fast path cannot read)."""
    import contextlib

    import typer.main

    from digest.cli.root import app

    group = typer.main.get_command(app)
    root_ctx = _context(group, "digest", None)
    command = group.get_command(root_ctx, name)
    spec = {"version": SPEC_VERSION, "root": _describe(group, root_ctx), "command": None}
    with contextlib.suppress(Unsure):
        spec["command"] = _describe(command, _context(command, name, root_ctx))
    return spec


def _context(command, name: str, parent):
    extra = dict(command.context_settings)
    return command.context_class(command, info_name=name, parent=parent, **extra)


def _describe(command, ctx) -> dict:
    import inspect

    body = getattr(command.callback, "fast_body", None)
    if body is None or (getattr(command, "commands", None) and ctx.parent is not None):
        raise Unsure
    if (getattr(command, "deprecated", False) or ctx.token_normalize_func or ctx.default_map
            or ctx.auto_envvar_prefix):
        raise Unsure
    params = command.get_params(ctx)
    parser = command.make_parser(ctx)
    index = {id(p): i for i, p in enumerate(params)}
    options = list({id(o): o for o in [*parser._long_opt.values(),
                                       *parser._short_opt.values()]}.values())
    if any(o.action not in ("store", "store_const", "append") or
           (o.action != "store_const" and o.nargs != 1) for o in options):
        raise Unsure  # counted options, options of several values: typer reads them
    spec = {
        "body": body,
        "prefixes": sorted(parser._opt_prefixes),
        "interspersed": ctx.allow_interspersed_args,
        "ignore_unknown": ctx.ignore_unknown_options,
        "extra_args": ctx.allow_extra_args,
        "options": [{"opts": [*o._long_opts, *o._short_opts], "short": list(o._short_opts),
                     "name": o.dest, "action": o.action,
                     "const": o.const if o.action == "store_const" else None,
                     "param": index[id(o.obj)]} for o in options],
        "arguments": [{"name": a.dest, "nargs": a.nargs, "param": index[id(a.obj)]}
                      for a in parser._args],
        "params": [_describe_param(p) for p in params],
    }
    exposed = [p["name"] for p in spec["params"] if p["expose"]]
    if list(inspect.signature(_body(spec)).parameters) != exposed:
        raise Unsure  # the body's arguments are not the declaration's
    return spec


def _describe_param(param) -> dict:
    from digest.cli.plain_values import plain_converter

    converter = plain_converter(param)
    info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
    callback = getattr(info, "callback", None)
    if param.envvar or getattr(param, "prompt", None) or getattr(param, "deprecated", False):
        raise Unsure
    if callback is not None:
        callback = f"{callback.__module__}:{callback.__qualname__}"
    # An action (--help, --version, completion): a flag with a callback of click's or typer's,
    # eager or passing nothing on; it acts only when given, and then typer runs.
    action = (param.callback is not None and getattr(param, "is_flag", False)
              and (param.is_eager or not param.expose_value)
              and (callback or ":").partition(":")[0] not in FAST_CALLBACK_MODULES)
    if action:
        callback = None
    elif param.callback is not None and (callback or ":").partition(":")[0] not in FAST_CALLBACK_MODULES:
        raise Unsure
    if converter is None and param.expose_value:
        raise Unsure
    default = param.default
    if hasattr(default, "value"):  # an Enum member: converted from its value
        default = default.value
    if default is not None and type(default) not in (str, int, bool):
        raise Unsure
    return {
        "name": param.name, "expose": param.expose_value, "eager": param.is_eager,
        # --help, --version, completion: acting when given is click's to do
        "given": "unsure" if action else "ok",
        "kind": _kind_name(converter.kind) if converter else None,
        "multiple": converter.multiple if converter else False,  # a list of values
        "nargs": param.nargs, "low": converter.low if converter else None,
        "high": converter.high if converter else None,
        "default": default, "required": param.required, "callback": callback,
    }


def _kind_name(kind) -> str:
    from importlib import import_module

    if kind in (str, int, bool):
        return kind.__name__
    if getattr(import_module(kind.__module__), kind.__qualname__, None) is not kind:
        raise Unsure  # an Enum made where the fast path cannot find it again
    return f"{kind.__module__}:{kind.__qualname__}"
