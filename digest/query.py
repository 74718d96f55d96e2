"""Search queries: their syntax, the bigram index text, exact matching, snippets.

Chinese has no spaces, and a reader searching 医药 wants every article that contains those two
characters, whether or not a word segmenter would cut 生物医药 there. So the library's recall is
defined as plain substring search (ASCII letters compared case-insensitively), and the index is
built to never miss a substring:

* ``index_text`` turns a text into space-separated overlapping character pairs of each run of
  letters and digits (生物医药 → 生物 物医 医药; a one-character run stays as it is), with the
  token ``RUN_BREAK`` between the pairs of two runs (长三角，联盟 → 长三 三角 zzz 联盟). SQLite's
  FTS5 indexes those pairs as tokens.
* ``Query.fts`` turns each search term into an FTS5 *phrase* of the same tokens. Where the term
  occurs as a substring, its tokens stand at consecutive positions, so the phrase matches: the
  index never loses a hit.
* For a term that is one run of two or more letters and digits (养老, 生物医药, g60) the phrase
  *is* the substring test: consecutive pairs that chain (生物 物医 医药) can only come from one
  run, because ``RUN_BREAK`` stands between runs and never equals a pair. Such a query is
  ``Query.exact``: the index alone decides, no text is read. Other terms (one character, or
  runs with punctuation or spaces between them, where the phrase cannot see *which* characters
  separate the runs) are checked with ``Query.matches``, a real substring test, or its SQL twin
  ``Query.sql``: precision is exact either way.

Syntax: terms separated by spaces must all occur; ``"quoted phrase"`` is one term that may hold
spaces; ``OR`` between terms or groups; ``-term`` excludes; parentheses group. Errors raise
``QueryError`` with a hint.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

from digest.errors import QueryError

_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script; FTS5's ascii tokenizer keeps them
# Spaces; an optionally negated "phrase" (maybe unclosed) or "("; ")"; a bare word.
_LEX = re.compile(r'\s+|-?"[^"]*"?|-?\(|\)|[^\s()"]+')
SNIPPET_BEFORE = 20  # characters of context before the first match: enough to read the clause
SNIPPET_LENGTH = 80  # characters in a snippet: about two lines of a terminal table cell
ELLIPSIS = "…"
_ASCII_LETTER = re.compile("[a-z]")  # in a folded term: the text must be folded to find it


_ASCII_LOWER_BYTES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")


def fold(text: str) -> str:
    """Lower-case ASCII letters only: keeps every offset valid (str.lower can change lengths).

    Done on the UTF-8 bytes: a byte below 0x80 is always an ASCII character there, and
    bytes.translate is ~50x faster than str.translate on Chinese text (a search that returns
    every hit folds each title and body)."""
    if text.isascii():
        return text.lower()
    return text.encode("utf-8", "surrogatepass").translate(_ASCII_LOWER_BYTES).decode(
        "utf-8", "surrogatepass")


def _pairs(run: str) -> list[str]:
    # map over the run and its tail: the pairs in C, a third of the time of slicing each out
    return [run] if len(run) == 1 else list(map(operator.add, run, run[1:]))


# The token between the pairs of two runs. Three characters: never a pair (two) nor a
# one-character run, so no text token equals it; ASCII letters, so any tokenizer (FTS5's ascii,
# PostgreSQL's parser) keeps it as one word.
RUN_BREAK = "zzz"


def index_text(text: str) -> str:
    """The text as FTS5 sees it: overlapping character pairs of each letter/digit run, the runs
    separated by ``RUN_BREAK``. Changing this needs a migration step that rebuilds the index."""
    return f" {RUN_BREAK} ".join(" ".join(_pairs(run)) for run in _RUN.findall(fold(text)))


# --- the query tree -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # as typed (quotes removed), folded

    def matches(self, texts: tuple[str, ...]) -> bool:
        return any(self.text in t for t in texts)

    def fts(self) -> str | None:
        """An FTS5 phrase that matches wherever the term occurs, or None when it can't narrow."""
        tokens = index_text(self.text).split()
        # A one-character run at either end may be the edge of a longer run in the text, whose
        # pairs don't contain it alone: leave it to the substring check. The RUN_BREAK after
        # (before) it stays: a run does end (begin) there in the text too.
        runs = _RUN.findall(self.text)
        if runs and len(runs[0]) == 1:
            tokens = tokens[1:]
        if len(runs) > 1 and len(runs[-1]) == 1:
            tokens = tokens[:-1]
        if all(t == RUN_BREAK for t in tokens):
            return None  # nothing but run breaks: every text with two runs has one
        return '"' + " ".join(tokens) + '"'

    def positives(self) -> list[str]:
        return [self.text]

    def exact(self) -> bool:
        """True when the FTS phrase alone is the substring test: the term is one run of two or
        more letters and digits, whose chained pairs occur only inside a run that holds it."""
        return len(self.text) >= 2 and _RUN.fullmatch(self.text) is not None

    def sql(self, columns: tuple[str, ...], narrowed: bool = False) -> tuple[str, list]:
        if narrowed and self.exact():
            return "1", []  # the FTS phrase that narrowed the candidates already decided
        # SQLite's built-in lower() folds ASCII letters only: the same as ``fold``. A term
        # without ASCII letters is found in the text as it is, without a lowered copy.
        fold_case = any("a" <= ch <= "z" for ch in self.text)
        conds = [f"instr(lower({c}), ?) > 0" if fold_case else f"instr({c}, ?) > 0"
                 for c in columns]
        return "(" + " OR ".join(conds) + ")", [self.text] * len(columns)


@dataclass(frozen=True)
class Not:
    item: Node

    def matches(self, texts: tuple[str, ...]) -> bool:
        return not self.item.matches(texts)

    def fts(self) -> str | None:
        return None  # exclusion is done by the exact check: an FTS NOT could over-exclude

    def exact(self) -> bool:
        return False  # not in the MATCH expression: only the exact check excludes

    def positives(self) -> list[str]:
        return []

    def sql(self, columns: tuple[str, ...], narrowed: bool = False) -> tuple[str, list]:
        cond, params = self.item.sql(columns)  # never narrowed: the index does not exclude
        return f"(NOT {cond})", params


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]

    def matches(self, texts: tuple[str, ...]) -> bool:
        return all(i.matches(texts) for i in self.items)

    def fts(self) -> str | None:
        parts = [p for p in (i.fts() for i in self.items) if p]
        return " AND ".join(f"({p})" for p in parts) if parts else None

    def exact(self) -> bool:
        return all(i.exact() for i in self.items)

    def positives(self) -> list[str]:
        return [t for i in self.items for t in i.positives()]

    def sql(self, columns: tuple[str, ...], narrowed: bool = False) -> tuple[str, list]:
        # Each item with a phrase is in the MATCH expression; one without is not narrowed.
        return _joined([(i, narrowed and i.fts() is not None) for i in self.items], " AND ",
                       columns)


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]

    def matches(self, texts: tuple[str, ...]) -> bool:
        return any(i.matches(texts) for i in self.items)

    def fts(self) -> str | None:
        parts = [i.fts() for i in self.items]
        # One branch that can't narrow (e.g. a one-character term) makes the whole OR unnarrowable.
        return None if None in parts else " OR ".join(f"({p})" for p in parts)

    def exact(self) -> bool:
        return all(i.exact() for i in self.items)

    def positives(self) -> list[str]:
        return [t for i in self.items for t in i.positives()]

    def sql(self, columns: tuple[str, ...], narrowed: bool = False) -> tuple[str, list]:
        # The MATCH says that some branch's phrase matched, not which: it decides the OR only
        # where every branch is exact, and no branch on its own.
        if narrowed and self.fts() is not None and self.exact():
            return "1", []
        return _joined([(i, False) for i in self.items], " OR ", columns)


Node = Term | Not | And | Or


def _joined(items, op: str, columns: tuple[str, ...]) -> tuple[str, list]:
    parts = [i.sql(columns, narrowed) for i, narrowed in items]
    return "(" + op.join(c for c, _ in parts) + ")", [p for _, ps in parts for p in ps]


@dataclass(frozen=True)
class Query:
    """A parsed query: ``fts`` narrows candidates in SQLite, ``matches`` decides exactly."""

    text: str
    root: Node

    @property
    def fts(self) -> str | None:
        """The FTS5 MATCH expression, or None when every article must be checked."""
        return self.root.fts()

    @property
    def exact(self) -> bool:
        """True when the articles matching ``fts`` are exactly those that satisfy the query:
        no text needs checking (every term is one run of 2+ letters and digits, no exclusion)."""
        return self.root.exact()

    def matches(self, title: str, body: str) -> bool:
        """True when the title and body satisfy the query (substring semantics)."""
        return self.root.matches((fold(title), fold(body)))

    def sql(self, title: str, body: str, *, narrowed: bool = False) -> tuple[str, list]:
        """The exact test as an SQL condition over two text columns, and its parameters:
        ``matches`` done by SQLite (substring via ``instr`` over ASCII-folded text).

        ``narrowed``: the rows are already those matching ``fts``; terms whose phrase is
        exact by itself then need no ``instr``.
        """
        return self.root.sql((title, body), narrowed and self.fts is not None)

    @property
    def terms(self) -> list[str]:
        """The terms to highlight: every term that is looked for, not excluded."""
        return self.root.positives()


# --- parsing ------------------------------------------------------------------------------------


MAX_DEPTH = 50  # nested parentheses: more is no real query, and recursion must stay bounded
MAX_TOKENS = 200  # terms, operators and parentheses: SQLite caps a statement's parameters
SHOWN_CHARS = 60  # of a query quoted in an error message


def shown(text: str) -> str:
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")


def parse_query(text: str) -> Query:
    """Parse a query; raise ``QueryError`` with a hint on a syntax error.

    The query is normalised by the function that normalised the stored text when it was read
    (``digest.normalize``): a full-width Ｇ６０ finds what G60 finds.
    """
    from digest.normalize import normalize

    text = normalize(text)
    tokens = [t for t in _LEX.findall(text) if not t.isspace()]
    if len(tokens) > MAX_TOKENS:
        raise QueryError(f"The query {shown(text)} has more than {MAX_TOKENS} terms and "
                         "operators: search for fewer at a time")
    if not tokens:
        raise QueryError('The query is empty: give a word to look for, e.g. digest search 养老')
    parser = _Parser(tokens, text)
    root = parser.or_expr()
    if parser.pos < len(tokens):  # only a stray ")" stops or_expr early
        raise QueryError(f"Unbalanced ')' in query {shown(text)}: remove it or add a matching '('.")
    return Query(text, root)


class _Parser:
    """Recursive descent: or_expr := and_expr (OR and_expr)*; and_expr := unary+."""

    def __init__(self, tokens: list[str], text: str):
        self.tokens, self.text, self.pos, self.depth = tokens, text, 0, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def fail(self, what: str, hint: str) -> QueryError:
        return QueryError(f"{what} in query {shown(self.text)}: {hint}")

    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.peek() == "OR":
            self.pos += 1
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                self.pos += 1
                continue
            items.append(self.unary())
        if not items:
            raise self.fail("Nothing to look for", "put a term on each side of OR and inside "
                            '( ), e.g. 养老 OR 医疗')
        return items[0] if len(items) == 1 else And(tuple(items))

    def unary(self) -> Node:
        token = self.peek()
        if token.startswith("-") and len(token) > 1:
            self.tokens[self.pos] = token[1:]  # parse what follows the "-" as the atom
            return Not(self.atom())
        if token == "-":
            raise self.fail("A lone '-'", "write the excluded term right after it, e.g. 上海 -养老")
        return self.atom()

    def atom(self) -> Node:
        token = self.tokens[self.pos]
        self.pos += 1
        if token == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.fail(f"More than {MAX_DEPTH} nested '('", "simplify the query")
            node = self.or_expr()
            self.depth -= 1
            if self.peek() != ")":
                raise self.fail("Unclosed '('", "add the matching ')'")
            self.pos += 1
            return node
        if token.startswith('"'):
            return self.phrase(token)
        return Term(fold(token))

    def phrase(self, token: str) -> Term:
        if len(token) == 1 or not token.endswith('"'):
            raise self.fail("Unclosed quote", 'close the phrase, e.g. "长三角 联盟"')
        inner = " ".join(token[1:-1].split())
        if not inner:
            raise self.fail("An empty phrase", 'put words between the quotes, e.g. "长三角 联盟"')
        return Term(fold(inner))


# --- snippets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    """A window of the text; ``marks`` are (start, end) offsets of the matches inside ``text``."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()

    def marked(self, open_mark: str = "【", close_mark: str = "】") -> str:
        """The snippet with each match wrapped in the two markers."""
        out, last = [], 0
        for start, end in self.marks:
            out += [self.text[last:start], open_mark, self.text[start:end], close_mark]
            last = end
        return "".join(out) + self.text[last:]


def snippet(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> Snippet:
    """A window of ``text`` around the first occurrence of any term, matches marked."""
    flat = text.replace("\n", " ")  # one character for one: offsets stay valid
    # Terms are folded; only a term with an ASCII letter needs the text folded to be found.
    folded = fold(flat) if any(_ASCII_LETTER.search(t) for t in terms) else flat
    found = [i for i in (folded.find(t) for t in terms if t) if i >= 0]
    start = max(0, min(found) - SNIPPET_BEFORE) if found else 0
    window = flat[start:start + length]
    marks = _marks(fold(window), terms)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if start + length < len(flat) else ""
    shift = len(prefix)
    return Snippet(prefix + window + suffix, tuple((a + shift, b + shift) for a, b in marks))


def plain_term(terms: list[str]) -> str | None:
    """The query's one term when it needs no folding to be found (no ASCII letter), else None:
    the commonest query, whose snippet is a few plain string operations (``marked_snippet``)."""
    if len(terms) != 1 or not terms[0] or _ASCII_LETTER.search(terms[0]):
        return None
    return terms[0]


def marked_snippet(text: str, terms: list[str], open_mark: str = "【",
                   close_mark: str = "】") -> str:
    """``snippet(text, terms).marked(open_mark, close_mark)``, without building the ``Snippet``.

    For the commonest query, one term without ASCII letters, the matches in the window are
    the term's occurrences as ``str.replace`` finds them (left to right, not overlapping, as
    ``_marks`` finds one term's), and the text needs no folding: a few string operations in C
    instead of a regular expression and a sort (``digest search --limit 0`` makes one for each
    of tens of thousands of hits)."""
    term = plain_term(terms)
    if term is None:
        return snippet(text, terms).marked(open_mark, close_mark)
    flat = text.replace("\n", " ")
    found = flat.find(term)
    start = max(0, found - SNIPPET_BEFORE) if found >= 0 else 0
    window = flat[start:start + SNIPPET_LENGTH]
    return ((ELLIPSIS if start > 0 else "") + window.replace(term, open_mark + term + close_mark)
            + (ELLIPSIS if start + SNIPPET_LENGTH < len(flat) else ""))


def _marks(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of every occurrence of every term, longest first where they meet."""
    spans = sorted(
        ((m.start(), m.start() + len(t)) for t in set(terms) if t
         for m in re.finditer(re.escape(t), folded)),
        key=lambda s: (s[0], -s[1]),
    )
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged
