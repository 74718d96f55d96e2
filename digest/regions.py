"""Which region an article is about: a primary ``region`` and every region it concerns.

Labels are the provinces' short names (上海, 广东, 内蒙古 …) and, for subjects that span the
bulletin's home grouping (groupings.tsv: 长三角, 京津冀, 成渝 …), the grouping's name. Evidence is
read from tokens (see tokens.py) looked up in the gazetteer:

1. Levels, strongest first: the title, then the opening sentence, then the whole body. The
   first level that has evidence decides. A level whose only evidence is weak (a venue, "在上海
   启动", or an organisation's name, "江苏银行") decides only if no later level has strong
   evidence.
2. Within a level each mention scores by its kind (``WEIGHTS``); the highest total wins and a tie
   goes to the region named first, because a Chinese headline names its subject first
   (江苏发布长三角……方案 is 江苏's plan; 长三角……联盟在上海启动 is the alliance).
3. The home grouping: its vocabulary (for 长三角: 三省一市, 沪苏浙皖, G60 科创走廊 …) counts for
   the grouping, and when enough distinct member provinces are named at one level
   (``MERGE_AT``) their mentions count together for it: an alliance of 上海, 浙江 and 安徽
   associations is a 长三角 subject even if it sits in one city. Any other grouping's words
   count as a mention of each of its members (粤港澳大湾区 in a 长三角 bulletin: 广东 first).
   With no home grouping, every grouping is read that way.
4. A section hint from sections.tsv: ``outside`` (域外动态) removes the home grouping and its
   members from the candidates for the primary region; ``home`` gives the home grouping when
   the text names no region.

Which grouping is home is evidence too (``infer_home``): a grouping named in the bulletin's
name or publisher, else the grouping whose provinces most articles are about.

``regions`` lists the primary region first, then every other region with at least one mention
that is not an organisation's name, most mentioned first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digest import gazetteer
from digest.gazetteer import Gazetteer, Grouping

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
HINT_OUTSIDE, HINT_HOME = "outside", "home"


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


def mentions(tokens: Sequence[str], gaz: Gazetteer | None = None,
             home: Grouping | None = None) -> list[Mention]:
    """Every region named in ``tokens``, in order; grouping words count for ``home`` if they
    name it, else for each member of the grouping they name."""
    gaz = gaz or gazetteer.load()
    seen = _token_memo(gaz)
    found: list[Mention] = []
    previous = None  # kind of the mention on the token before, if any
    for i, tok in enumerate(tokens):
        # a whole name first: 沪苏浙皖 is a word, not four
        place, rest, abbrev_token = seen.get(tok) or _learn(tok, gaz, seen)
        if place is None and not abbrev_token:
            previous = None  # most tokens name no place
            continue
        abbrev = [] if place else _abbrev_regions(tokens, i, gaz)
        if place is not None:
            is_home = home is not None and place.kind == gazetteer.CROSS and place.region == home.name
            kind = _kind(tokens, i, place, gaz, previous, rest, is_home)
            names = place.regions
            if place.kind == gazetteer.CROSS and not is_home:
                names = gaz.groupings[place.region].members
            found += [Mention(r, (i, j), kind) for j, r in enumerate(names)]
        elif abbrev:
            kind = VENUE if i > 0 and tokens[i - 1] in gaz.venue_cues else ABBREV
            found += [Mention(r, (i, j), kind) for j, r in enumerate(abbrev)]
        previous = found[-1].kind if found and found[-1].order[0] == i else None
    return found


# What each token is, per gazetteer: (place it names or None, rest of the word, made of
# abbreviations). Looking a token up is most of reading an article's regions, and an issue's
# tokens repeat (across articles, and an article naming the home grouping is read again once
# the home is known, see digest/enrich.py).
_MEMO: dict[int, tuple[Gazetteer, dict[str, tuple]]] = {}
MEMO_MAX_TOKENS = 200_000  # distinct tokens remembered per gazetteer (~20 MB at most)


def _token_memo(gaz: Gazetteer) -> dict[str, tuple]:
    held = _MEMO.get(id(gaz))
    if held is None or held[0] is not gaz or len(held[1]) > MEMO_MAX_TOKENS:
        held = _MEMO[id(gaz)] = (gaz, {})
    return held[1]


def _learn(tok: str, gaz: Gazetteer, seen: dict[str, tuple]) -> tuple:
    """What ``tok`` is (see _MEMO), looked up and remembered in ``seen``."""
    about = seen[tok] = (*_place(tok, gaz), _is_abbrev_token(tok, gaz))
    return about


def _place(token: str, gaz: Gazetteer):
    """The place ``token`` names, exactly or as the start of a longer word, and the rest."""
    place = gaz.lookup(token)
    if place is not None:
        return (None, "") if place.is_abbrev else (place, "")
    if token in gaz.not_regions:  # 上海合作组织 starts with 上海 but is not about it
        return None, ""
    return gaz.split_prefix(token) or (None, "")


def _kind(tokens: Sequence[str], i: int, place, gaz: Gazetteer, previous: str | None,
          rest: str = "", is_home: bool = False) -> str:
    if is_home:
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


def _merge_home(found: list[Mention], at: int, home: Grouping | None) -> list[Mention]:
    """Fold the home grouping's member mentions into the grouping when ``at`` or more of them
    are named (all of them, for a grouping of fewer)."""
    if home is None:
        return found
    named = {m.region for m in found if m.region in home.members and m.kind not in WEAK}
    if len(named) < min(at, len(home.members)):
        return found
    return [Mention(home.name, m.order, m.kind) if m.region in home.members and m.kind != VENUE
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


def _allowed(hint: str | None, home: Grouping | None):
    if hint == HINT_OUTSIDE and home is not None:
        return lambda r: r not in home.members and r != home.name
    return lambda r: True


def locate(title: Sequence[str], lead: Sequence[str], body: Sequence[str],
           section: str | None = None, gaz: Gazetteer | None = None,
           home: Grouping | None = None) -> Regions:
    """Primary region and all regions from the tokens of the title, opening sentence and body,
    in a bulletin whose home grouping is ``home`` (None: no grouping is home)."""
    return locate_in(read_levels(title, lead, body, gaz, home), section, gaz, home)


Levels = dict[str, list[Mention]]  # the mentions of the title, opening sentence and body


def read_levels(title: Sequence[str], lead: Sequence[str], body: Sequence[str],
                gaz: Gazetteer | None = None, home: Grouping | None = None) -> Levels:
    """The mentions of each level, read with the home grouping ``home``."""
    gaz = gaz or gazetteer.load()
    return {"title": mentions(title, gaz, home), "lead": mentions(lead, gaz, home),
            "body": mentions(body, gaz, home)}


def names_grouping(tokens: Sequence[str], grouping: Grouping, gaz: Gazetteer | None = None) -> bool:
    """Whether a token names ``grouping`` itself (长三角, 长三角地区): the only tokens whose
    mentions depend on the home grouping. Without one, mentions read with ``grouping`` as home
    are those read with no home."""
    gaz = gaz or gazetteer.load()
    seen = _token_memo(gaz)
    for tok in set(tokens):
        place = (seen.get(tok) or _learn(tok, gaz, seen))[0]
        if place is not None and place.kind == gazetteer.CROSS and place.region == grouping.name:
            return True
    return False


def locate_in(levels: Levels, section: str | None = None, gaz: Gazetteer | None = None,
              home: Grouping | None = None) -> Regions:
    """``locate`` from mentions already read (``read_levels``) with the same ``home``."""
    gaz = gaz or gazetteer.load()
    hint = gaz.section_hint(section)
    allowed = _allowed(hint, home)
    primary = None
    for level, found in levels.items():
        best = _best(_merge_home(found, MERGE_AT[level], home), allowed)
        if best and (best[1] or primary is None):
            primary = best[0]
            if best[1]:
                break
    if primary is None and hint == HINT_HOME and home is not None:
        primary = home.name
    return Regions(primary, _all_regions(primary, levels.values()))


def _all_regions(primary: str | None, levels) -> tuple[str, ...]:
    totals: dict[str, float] = {}
    for found in levels:
        for m in found:
            if m.kind != ORG:
                totals[m.region] = totals.get(m.region, 0.0) + m.weight
    others = sorted((r for r in totals if r != primary), key=lambda r: -totals[r])
    return ((primary,) if primary else ()) + tuple(others)


# --- the home grouping ----------------------------------------------------------------------------

NO_HOME = "none"  # `--home none`: read every grouping as its members, none first in a summary
# Inferring a home grouping from the articles: the grouping's provinces must be the main region
# of at least half the articles that have one (a bulletin mostly about them), and at least two
# of its provinces must appear, or one joint subject (a single province's bulletin is not a
# grouping's). The provinces named by the publisher or the bulletin's name add up to this much
# (all of them in the grouping: the whole bonus), enough to decide between groupings that share
# provinces (浙江: 长三角 or 海峡西岸) but not to outweigh a clear majority of articles.
MIN_HOME_SHARE = 0.5
MIN_MEMBERS_SEEN = 2
NAMED_BONUS = 0.25


@dataclass(frozen=True)
class HomeEvidence:
    """What an issue says about its home grouping, gathered before the home is known."""

    masthead: str  # the bulletin's name and publisher
    primaries: tuple[str | None, ...]  # each article's main region, read with no home grouping
    joint: tuple[str, ...]  # a grouping for each article naming it by one of its words


def grouping_words(tokens: Sequence[str], gaz: Gazetteer) -> list[str]:
    """The groupings named in ``tokens`` by their own words (京津冀协同发展 → 京津冀)."""
    return [p.region for t in tokens if (p := gaz.lookup(t)) and p.kind == gazetteer.CROSS]


def infer_home(evidence: HomeEvidence, gaz: Gazetteer | None = None) -> Grouping | None:
    """The home grouping of an issue, or None when the evidence names none.

    1. A grouping named in the bulletin's name or publisher (长三角每周要讯) is home.
    2. Else the grouping whose provinces most articles are about, if at least
       ``MIN_HOME_SHARE`` of them are and they are spread (``MIN_MEMBERS_SEEN``); the share of
       the masthead's provinces in the grouping adds up to ``NAMED_BONUS``; on a tie the
       smaller grouping wins.
    """
    gaz = gaz or gazetteer.load()
    named = _named_in(evidence.masthead, gaz)
    if named:
        return gaz.groupings[named[0]]
    placed = [r for r in evidence.primaries if r]
    if not placed:
        return None
    in_masthead = [p for p in gaz.provinces if p in evidence.masthead]
    best, best_key = None, None
    for grouping in gaz.groupings.values():
        on = [r for r in placed if r in grouping.members]
        spread = len(set(on)) >= MIN_MEMBERS_SEEN or grouping.name in evidence.joint
        share = len(on) / len(placed)
        if not spread or share < MIN_HOME_SHARE:
            continue
        bonus = NAMED_BONUS * sum(p in grouping.members for p in in_masthead) / max(
            len(in_masthead), 1)
        key = (share + bonus, -len(grouping.members))
        if best_key is None or key > best_key:
            best, best_key = grouping, key
    return best


def _named_in(text: str, gaz: Gazetteer) -> list[str]:
    """Groupings whose name or words occur in ``text``, in the order they occur."""
    found: dict[str, int] = {}
    for name, place in gaz.places.items():
        if place.kind == gazetteer.CROSS and len(name) > 1 and name in text:
            at = text.index(name)
            found[place.region] = min(found.get(place.region, at), at)
    for name in gaz.groupings:
        if name in text:
            found[name] = min(found.get(name, text.index(name)), text.index(name))
    return sorted(found, key=found.get)
