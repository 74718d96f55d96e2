"""Which region an article is about: a primary ``region`` and every region it concerns.

Labels are the provinces' short names (上海, 广东, 内蒙古 …) and 长三角 for subjects that span the
Yangtze River Delta. Evidence is read from tokens (see tokens.py) looked up in the gazetteer:

1. Levels, strongest first: the title, then the opening sentence, then the whole body. The
   first level that has evidence decides. A level whose only evidence is weak (a venue, "在上海
   启动", or an organisation's name, "江苏银行") decides only if no later level has strong
   evidence.
2. Within a level each mention scores by its kind (``WEIGHTS``); the highest total wins and a tie
   goes to the region named first, because a Chinese headline names its subject first
   (江苏发布长三角……方案 is 江苏's plan; 长三角……联盟在上海启动 is the alliance).
3. Cross-delta: the delta vocabulary (长三角, 三省一市, 沪苏浙皖, G60 科创走廊 …) counts for 长三角,
   and when enough distinct delta provinces are named at one level (``MERGE_AT``) their
   mentions count together for 长三角: an alliance of 上海, 浙江 and 安徽 associations is a
   长三角 subject even if it sits in one city.
4. A section hint from sections.tsv: ``outside`` (域外动态) removes the delta and 长三角 from the
   candidates for the primary region; ``delta`` gives 长三角 when the text names no region.

``regions`` lists the primary region first, then every other region with at least one mention
that is not an organisation's name, most mentioned first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digest import gazetteer
from digest.gazetteer import DELTA, DELTA_LABEL, Gazetteer

# Kinds of mention and what each is worth as evidence.
PLACE, CROSS, ABBREV, VENUE, ORG = "place", "cross", "abbrev", "venue", "org"
WEIGHTS = {
    PLACE: 1.0,
    CROSS: 1.0,
    ABBREV: 0.8,  # 沪 or 粤 alone: clear, but also used loosely ("沪上", "粤式")
    VENUE: 0.5,  # "在上海启动": where it happened, not whose it is
    ORG: 0.25,  # "江苏银行": a name that happens to contain a place
}
WEAK = frozenset({VENUE, ORG})
# How many distinct delta provinces at one level make the subject cross-delta. Two in a title or
# opening sentence is an agreement between them (上海与江苏签约); in a whole body two are common
# in passing, three (三省一市 spelled out) are not.
MERGE_AT = {"title": 2, "lead": 2, "body": 3}
HINT_OUTSIDE, HINT_DELTA = "outside", "delta"


@dataclass(frozen=True)
class Mention:
    region: str
    order: tuple[int, int]  # (token index, index within a multi-region name): first named first
    kind: str

    @property
    def weight(self) -> float:
        return WEIGHTS[self.kind]


@dataclass(frozen=True)
class Regions:
    region: str | None
    regions: tuple[str, ...]


def mentions(tokens: Sequence[str], gaz: Gazetteer | None = None) -> list[Mention]:
    """Every region named in ``tokens``, in order."""
    gaz = gaz or gazetteer.load()
    found: list[Mention] = []
    previous = None  # kind of the mention on the token before, if any
    for i, tok in enumerate(tokens):
        place, rest = _place(tok, gaz)  # a whole name first: 沪苏浙皖 is a word, not four
        abbrev = [] if place else _abbrev_regions(tokens, i, gaz)
        if place is not None:
            kind = _kind(tokens, i, place, gaz, previous, rest)
            found += [Mention(r, (i, j), kind) for j, r in enumerate(place.regions)]
        elif abbrev:
            kind = VENUE if i > 0 and tokens[i - 1] in gaz.venue_cues else ABBREV
            found += [Mention(r, (i, j), kind) for j, r in enumerate(abbrev)]
        previous = found[-1].kind if found and found[-1].order[0] == i else None
    return found


def _place(token: str, gaz: Gazetteer):
    """The place ``token`` names, exactly or as the start of a longer word, and the rest."""
    place = gaz.lookup(token)
    if place is not None:
        return (None, "") if place.is_abbrev else (place, "")
    if token in gaz.not_regions:  # 上海合作组织 starts with 上海 but is not about it
        return None, ""
    return gaz.split_prefix(token) or (None, "")


def _kind(tokens: Sequence[str], i: int, place, gaz: Gazetteer, previous: str | None,
          rest: str = "") -> str:
    if place.kind == gazetteer.CROSS:
        return CROSS
    # 江苏 银行 (the next token) or 上海证券交易所 (the rest of the same word): a name.
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if following in gaz.org_cues or any(rest.startswith(cue) for cue in gaz.org_cues) \
            or (i > 0 and tokens[i - 1] in gaz.org_before_cues):
        return ORG
    # "在浙江湖州召开": a place right after a venue is part of the same venue.
    if i > 0 and (tokens[i - 1] in gaz.venue_cues or previous == VENUE):
        return VENUE
    return PLACE


def _is_abbrev_token(tok: str, gaz: Gazetteer) -> bool:
    return bool(tok) and all((p := gaz.lookup(c)) is not None and p.is_abbrev for c in tok)


def _abbrev_regions(tokens: Sequence[str], i: int, gaz: Gazetteer) -> list[str]:
    """Regions of a token made of one-character abbreviations (沪苏, or 沪 next to 苏), else []."""
    tok = tokens[i]
    if not _is_abbrev_token(tok, gaz):
        return []
    heads = i == 0 and len(tokens) > 1 and len(tok) == 1 and gaz.lookup(tok).kind == gazetteer.ABBREV_HEAD
    in_run = heads or len(tok) > 1 or any(
        0 <= j < len(tokens) and _is_abbrev_token(tokens[j], gaz) for j in (i - 1, i + 1))
    if in_run:
        return [gaz.lookup(c).region for c in tok]
    place = gaz.lookup(tok)
    return [place.region] if place.kind == gazetteer.ABBREV_ALONE else []


def _merge_delta(found: list[Mention], at: int) -> list[Mention]:
    """Fold delta-province mentions into 长三角 when ``at`` or more provinces are named."""
    named = {m.region for m in found if m.region in DELTA and m.kind not in WEAK}
    if len(named) < at:
        return found
    return [Mention(DELTA_LABEL, m.order, m.kind) if m.region in DELTA and m.kind != VENUE
            else m for m in found]


def _best(found: list[Mention], allowed) -> tuple[str, bool] | None:
    """The winning region of one level and whether its evidence is strong, or None."""
    scores: dict[str, float] = {}
    first: dict[str, tuple[int, int]] = {}
    strong: set[str] = set()
    for m in found:
        if not allowed(m.region):
            continue
        scores[m.region] = scores.get(m.region, 0.0) + m.weight
        first.setdefault(m.region, m.order)
        if m.kind not in WEAK:
            strong.add(m.region)
    if not scores:
        return None
    region = min(scores, key=lambda r: (-scores[r], first[r]))
    return region, region in strong


def _allowed(hint: str | None):
    if hint == HINT_OUTSIDE:
        return lambda r: r not in DELTA and r != DELTA_LABEL
    return lambda r: True


def locate(title: Sequence[str], lead: Sequence[str], body: Sequence[str],
           section: str | None = None, gaz: Gazetteer | None = None) -> Regions:
    """Primary region and all regions from the tokens of the title, opening sentence and body."""
    gaz = gaz or gazetteer.load()
    hint = gaz.section_hint(section)
    allowed = _allowed(hint)
    levels = {"title": mentions(title, gaz), "lead": mentions(lead, gaz),
              "body": mentions(body, gaz)}
    primary = None
    for level, found in levels.items():
        best = _best(_merge_delta(found, MERGE_AT[level]), allowed)
        if best and (best[1] or primary is None):
            primary = best[0]
            if best[1]:
                break
    if primary is None and hint == HINT_DELTA:
        primary = DELTA_LABEL
    return Regions(primary, _all_regions(primary, levels.values()))


def _all_regions(primary: str | None, levels) -> tuple[str, ...]:
    totals: dict[str, float] = {}
    for found in levels:
        for m in found:
            if m.kind != ORG:
                totals[m.region] = totals.get(m.region, 0.0) + m.weight
    others = sorted((r for r in totals if r != primary), key=lambda r: -totals[r])
    return ((primary,) if primary else ()) + tuple(others)
