"""Regenerate digest/data/gazetteer.tsv from the adcode table that cpca ships.

Administrative divisions are facts, so they are taken from a maintained table rather than typed
in: cpca (https://github.com/DQinYuan/chinese_province_city_area_mapper) ships the national
adcode table as ``cpca/resources/adcodes.csv`` (and the 56 ethnic groups as ``56_nations.csv``,
used here to shorten names such as 黔西南布依族苗族自治州 → 黔西南).

What goes in:
- all 34 provincial-level divisions, full name and short name (江苏省 / 江苏);
- all prefecture-level divisions, full and short (苏州市 / 苏州, 延边朝鲜族自治州 / 延边);
- the districts and counties of the four delta provinces (上海 江苏 浙江 安徽), full and short
  (吴江区 / 吴江, 嘉善县 / 嘉善).

Each name maps to its province's short name, which is the region label used everywhere.
A short form that names places in two provinces anywhere in the national table (普陀: 上海 and
舟山; 通州: 北京 and 南通) is left out, and so are the short forms that are ordinary words
listed as ``not-place`` in places_curated.tsv (太湖, 江山, 天台 …). Full names that occur in two
provinces (普陀区) are left out too, and a lower division never takes a province's name (河北区
in 天津 does not become 河北). Hand-curated zones, cross-delta vocabulary and
abbreviations live in digest/data/places_curated.tsv, not here.

cpca is a development-time dependency only: the runtime reads the TSV.

Usage: python scripts/make_gazetteer.py [--check]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import defaultdict
from importlib import metadata, resources
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "digest" / "data"
OUT = DATA / "gazetteer.tsv"
CURATED = DATA / "places_curated.tsv"
DELTA = ("31", "32", "33", "34")  # adcode prefixes of 上海 江苏 浙江 安徽
# Placeholder rows of the table that are not places (municipal "districts" groupings).
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
PROVINCE_SUFFIXES = ("特别行政区", "自治区", "省", "市")
PREFECTURE_SUFFIXES = ("自治州", "地区", "盟", "市")
COUNTY_SUFFIXES = ("新区", "自治县", "自治旗", "林区", "特区", "区", "县", "市", "旗")
MIN_SHORT = 2  # one-character leftovers (和县 → 和) are not names


def read_table() -> list[tuple[str, str]]:
    """(adcode6, name) rows of cpca's adcode table."""
    text = resources.files("cpca.resources").joinpath("adcodes.csv").read_text("utf-8")
    return [(r["adcode"][:6], r["name"]) for r in csv.DictReader(io.StringIO(text))]


def read_nations() -> list[str]:
    text = resources.files("cpca.resources").joinpath("56_nations.csv").read_text("utf-8")
    names = [n.strip() for n in text.splitlines() if n.strip()]
    # Longest first so 蒙古族 is tried before 回族-like shorter overlaps; also without 族
    # because names such as 克孜勒苏柯尔克孜自治州 drop it.
    forms = names + [n[:-1] for n in names if n.endswith("族") and len(n) > 2]
    return sorted(set(forms), key=len, reverse=True)


def strip_ethnic(name: str, nations: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for n in nations:
            if name.endswith(n) and len(name) - len(n) >= MIN_SHORT:
                name, changed = name[: -len(n)], True
                break
    return name


def short_form(name: str, suffixes: tuple[str, ...], nations: list[str]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT:
            short = strip_ethnic(name[: -len(suffix)], nations)
            return short if short != name else None
    return None


def level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def not_places() -> set[str]:
    rows = (line.split("\t") for line in CURATED.read_text("utf-8").splitlines())
    return {r[0] for r in rows if len(r) >= 3 and r[2].strip() == "not-place"}


def build_rows() -> list[tuple[str, str, str, str, str]]:
    """(name, region, level, form, adcode) rows, sorted by adcode then form."""
    table = [(c, n) for c, n in read_table() if n not in PLACEHOLDERS]
    nations = read_nations()
    provinces = {c[:2]: n for c, n in table if level(c) == "province"}
    label = {p: short_form(n, PROVINCE_SUFFIXES, nations) or n for p, n in provinces.items()}
    candidates = []  # every name of every division: used to find names two provinces share
    for code, name in table:
        lv = level(code)
        suffixes = {"province": PROVINCE_SUFFIXES, "prefecture": PREFECTURE_SUFFIXES,
                    "county": COUNTY_SUFFIXES}[lv]
        candidates.append((name, code, lv, "full"))
        short = short_form(name, suffixes, nations)
        if short:
            candidates.append((short, code, lv, "short"))
    owners = defaultdict(set)
    for name, code, _, _ in candidates:
        owners[name].add(code[:2])
    # A province's own names always win: 河北区 (天津) must not take 河北 from 河北省.
    province_names = {name for name, _, lv, _ in candidates if lv == "province"}
    excluded = not_places()
    rows = set()
    for name, code, lv, form in candidates:
        if lv == "county" and not code.startswith(DELTA):
            continue
        if lv != "province" and (name in province_names or len(owners[name]) > 1):
            continue
        if form == "short" and name in excluded:
            continue
        rows.add((name, label[code[:2]], lv, form, code))
    return sorted(rows, key=lambda r: (r[4], r[3] != "full", r[0]))


def render(rows) -> str:
    version = metadata.version("cpca")
    out = io.StringIO()
    out.write(
        "# digest gazetteer: administrative divisions mapped to their province (short name).\n"
        f"# Source: PyPI package cpca {version}, file cpca/resources/adcodes.csv "
        "(national adcode table), shortened with cpca/resources/56_nations.csv.\n"
        "# Generated by scripts/make_gazetteer.py - do not edit by hand; curated places are in "
        "places_curated.tsv.\n"
        "# Short forms and names shared by two provinces are left out as ambiguous.\n"
    )
    out.write("name\tregion\tlevel\tform\tadcode\n")
    for row in rows:
        out.write("\t".join(row) + "\n")
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the committed file differs from a fresh build")
    args = parser.parse_args(argv)
    text = render(build_rows())
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("gazetteer.tsv is up to date" if same else "gazetteer.tsv is stale")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 5} names)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
