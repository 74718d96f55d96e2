"""What opening an older library tells its caller: the upgrade, step by step, as it runs.

Opening a library whose schema is older runs the missing migration steps (``schema.MIGRATIONS``,
PostgreSQL's ``pg.PG_STEPS``). Most take milliseconds, but a few go through every article: step
10 renumbers them and builds the search index again, which on a library of 160,000 articles
took a silent two minutes that looked like a hang. So the caller of ``Library(…, upgrading=)``
is told, as ``digest add``'s caller is told of each file (``ingest.ProgressCallback``): a
callback, given ``Upgrade`` values. The core prints nothing; the CLI draws them on stderr
(digest/cli/upgrade_view.py).

The callback hears ``Stage.STARTED`` once (where, from which schema to which, how many
articles), ``STEP`` as each step begins, ``PROGRESS`` every ``TICK_EVERY`` articles of the
steps that go through them all, then ``DONE``; or ``UNDONE`` when the upgrade stops (Ctrl-C,
SIGTERM, an error), after the step under way was rolled back, with the schema the library keeps.
A library that needs no step (every open but the first after upgrading digest) hears nothing and
costs nothing more than before; neither does a new library, whose first steps create it.

A step that goes through every article is given a ``StepProgress``: it passes the rows it goes
through (``over``) or the batches it writes (``batches``) through it, and the callback hears how
far it is. Steps run without a caller (tests, ``check --repair``) get ``NO_PROGRESS``, which
passes them through untouched.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

# Articles between two reports of a long step: a fifth of a second of building the index (4.5 s
# for 20,000 articles), a fiftieth of renumbering, so a bar moves several times a second while
# the reports (45 for 20,000 articles) cost nothing measurable beside the work
# (benchmarks/bench_upgrade.py).
TICK_EVERY = 1000


class Stage(enum.Enum):
    STARTED = "started"  # before the first step
    STEP = "step"  # a step begins
    PROGRESS = "progress"  # a long step went through ``done`` of ``total`` articles
    DONE = "done"  # every step is committed
    UNDONE = "undone"  # stopped: the step under way was rolled back; ``kept`` is the schema left


@dataclass(frozen=True)
class Upgrade:
    """One report of an upgrade. ``where`` is the database file or URL as messages show it."""

    stage: Stage
    where: str
    old: int  # the schema the library had when it was opened
    new: int  # the schema it is upgraded to
    articles: int  # articles stored: what the long steps go through
    step: int = 0  # STEP, PROGRESS: the schema version the running step makes (old + 1 … new)
    what: str = ""  # STEP: what the step does; PROGRESS: what its pass over the articles does
    done: int = 0  # PROGRESS: articles gone through, of
    total: int = 0
    kept: int = 0  # UNDONE: the schema the library is left at (every step before is committed)


UpgradeCallback = Callable[[Upgrade], None]


class StepProgress:
    """How far a long step is, told to the callback as ``Stage.PROGRESS`` events."""

    def __init__(self, callback: UpgradeCallback | None, event: Upgrade):
        self._callback, self._event = callback, event

    @property
    def listening(self) -> bool:
        """Whether anyone is told: a step need not count what nobody will hear of."""
        return self._callback is not None

    def over(self, rows: Iterable[T], total: int, what: str) -> Iterator[T]:
        """``rows`` as they are read; every ``TICK_EVERY`` of the ``total``, a report."""
        if self._callback is None:
            yield from rows
            return
        self.tell(what, 0, total)
        for done, row in enumerate(rows, 1):
            yield row
            if done % TICK_EVERY == 0 or done == total:
                self.tell(what, done, total)

    def batches(self, items: list[T], what: str) -> Iterator[list[T]]:
        """``items`` in batches of ``TICK_EVERY``; a report after each batch is written (a
        driver that reads a whole iterable before writing, as psycopg's ``executemany`` does,
        cannot report inside one)."""
        if self._callback is None:
            yield items
            return
        total = len(items)
        self.tell(what, 0, total)
        it = iter(items)
        done = 0
        while batch := list(islice(it, TICK_EVERY)):
            yield batch
            done += len(batch)
            self.tell(what, done, total)

    def tell(self, what: str, done: int, total: int) -> None:
        if self._callback is not None:
            self._callback(replace(self._event, stage=Stage.PROGRESS, what=what, done=done,
                                   total=total))


NO_PROGRESS = StepProgress(None, Upgrade(Stage.PROGRESS, "", 0, 0, 0))


class Reporter:
    """The events of one upgrade, as ``schema.migrate`` (SQLite) and ``pg`` (PostgreSQL) tell
    them; nothing before ``start`` has been called for a library that had a schema."""

    def __init__(self, callback: UpgradeCallback | None, where, new: int):
        self._callback = callback
        self._event = Upgrade(Stage.STARTED, str(where), 0, new, 0)
        self.started = False
        self._first = True  # no step has run yet

    def start(self, old: int, articles: Callable[[], int]) -> None:
        """Before the first step that runs, once: the library's schema and its count of
        articles (asked only then). A new library, at schema 0, is not upgraded but created:
        nothing is told."""
        first, self._first = self._first, False
        if not first or old == 0 or self._callback is None:
            return
        self._event = replace(self._event, old=old, articles=articles())
        self.started = True
        self._tell(self._event)

    @property
    def old(self) -> int:
        """The schema the library had when the upgrade started."""
        return self._event.old

    def step(self, version: int, title: str) -> StepProgress:
        """Step ``version`` (the schema it makes) begins; what it reports its progress to."""
        event = replace(self._event, stage=Stage.STEP, step=version, what=title)
        self._tell(event)
        return StepProgress(self._callback if self.started else None, event)

    def done(self) -> None:
        self._tell(replace(self._event, stage=Stage.DONE))

    def undone(self, kept: int) -> None:
        self._tell(replace(self._event, stage=Stage.UNDONE, kept=kept))

    def _tell(self, event: Upgrade) -> None:
        if self.started:
            self._callback(event)
