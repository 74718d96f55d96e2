"""The library commands through the CLI, on temporary libraries (``--library``)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from library_helpers import BACKENDS, SAMPLES, issue_text, new_location, sql_rows, truth_issue
from typer.testing import CliRunner

from digest.cli import app
from digest.issue import parse_issue
from digest.library import parse_file

# The sample issue as made by four producers: one issue, stored once (the first given).
SAMPLE_PDFS = sorted(SAMPLES.glob("*.pdf"), key=lambda p: p.name != "issue-200.pdf")
runner = CliRunner()
# Two to six characters, several inside longer words a segmenter keeps whole (生物医药, 工业园区).
QUERIES = ("医药", "生物医药", "工业园区", "业园", "养老", "智慧养老", "长三角", "上海", "江苏",
           "基金", "G60", "g60", "科创贷", "5000", "数字化转型", "国际人才", "信用修复",
           "一口受理", "航运", "新片区", "联盟", "环保脸谱", "领航站", "研究生", "江苏州", "滇黔")


def digest(*args: str, library: Path | None = None):
    extra = ["--library", str(library)] if library else []
    return runner.invoke(app, [*args, *extra])


def write_variant(folder: Path, number: int) -> Path:
    """A text issue: the sample's articles as issue ``number``, a week apart per number."""
    issue = truth_issue(number, date=dt.date(2020, 12, 18) + dt.timedelta(weeks=number - 200))
    path = folder / f"issue-{number}.txt"
    path.write_text(issue_text(issue), encoding="utf-8")
    return path


def parsed_variant(folder: Path, number: int):
    return parse_file(write_variant(folder, number))  # parsed and enriched, as `add` does


def body_articles(path: Path) -> int:
    return sum(1 for a in parse_issue(path).articles if a.body)


@pytest.fixture(scope="module", params=BACKENDS)
def lib(request, tmp_path_factory) -> Path | str:
    """The sample issue (its other copies skipped) and two text issues of 2021, added once for
    the read-only tests; on each back end (a folder, a PostgreSQL URL)."""
    folder = new_location(request, request.param, tmp_path_factory.mktemp("library"))
    texts = [write_variant(tmp_path_factory.mktemp("texts"), n) for n in (260, 261)]
    result = digest("add", *map(str, SAMPLE_PDFS), *map(str, texts), library=folder)
    assert result.exit_code == 0, result.output
    return folder


def stored_articles(library: Path | str) -> list[tuple[int, int, str, str]]:
    return sql_rows(library, "SELECT issue_id, seq, title, body FROM articles WHERE body != ''")


def hit_keys(result) -> set[tuple[int, int]]:
    return {(h["issue_id"], h["seq"]) for h in json.loads(result.stdout)} if result.stdout else set()


# --- add, re-add, list --------------------------------------------------------------------------


def test_add_reports_what_it_added_and_re_adding_changes_nothing(tmp_path):
    pdf = SAMPLES / "issue-200.pdf"
    n = body_articles(pdf)
    result = digest("add", str(pdf), library=tmp_path)
    assert (result.exit_code, result.stdout) == (
        0, f"Added 1 issue ({n} articles); 0 skipped (already in the library); 0 failed.\n")
    before = digest("list", library=tmp_path).stdout
    assert before == f"1\t长三角每周要讯\t2020\t200\t2020-12-18\t{n}\tissue-200.pdf\n"
    again = digest("add", str(pdf), library=tmp_path)
    assert (again.exit_code, again.stdout) == (
        0, "Added 0 issues (0 articles); 1 skipped (already in the library); 0 failed.\n")
    assert digest("list", library=tmp_path).stdout == before


def test_a_failing_file_is_reported_and_the_others_are_added(tmp_path):
    (tmp_path / "in").mkdir()
    good = write_variant(tmp_path / "in", 201)
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF")
    result = digest("add", str(tmp_path / "in"), str(tmp_path / "missing.pdf"),
                    library=tmp_path / "lib")
    assert result.exit_code == 1
    assert result.stdout.startswith("Added 1 issue (") and result.stdout.endswith(
        "; 0 skipped (already in the library); 2 failed.\n")
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 2 and "broken.pdf" in errors[0] and "missing.pdf" in errors[1]
    assert "Traceback" not in result.output
    listed = digest("list", library=tmp_path / "lib").stdout
    assert listed.endswith(f"\t{body_articles(good)}\tissue-201.txt\n")


def test_folders_globs_and_jobs_give_the_same_library(tmp_path):
    folder = tmp_path / "in" / "nested"
    folder.mkdir(parents=True)
    for n in (201, 202, 203):
        write_variant(folder, n)
    one = digest("add", str(tmp_path / "in"), library=tmp_path / "one")
    two = digest("add", str(folder / "issue-20*.txt"), "--jobs", "2", library=tmp_path / "two")
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout and one.stdout.startswith("Added 3 issues")
    assert sorted(r[2:] for r in stored_articles(tmp_path / "one")) == sorted(
        r[2:] for r in stored_articles(tmp_path / "two"))


def test_add_json_lists_each_file_outcome(tmp_path):
    path = write_variant(tmp_path, 205)
    digest("add", str(path), library=tmp_path / "lib")
    result = digest("add", str(path), "--json", library=tmp_path / "lib")
    assert json.loads(result.stdout) == [{
        "path": str(path), "outcome": "skipped",
        "message": "same issue as 长三角每周要讯:2020:205 (id 1, from issue-205.txt), skipped: "
        "the same file", "issue_id": 1, "articles": 0, "warnings": [], "same_file": True}]


def test_list_json_has_the_issue_fields(lib):
    rows = json.loads(digest("list", "--json", library=lib).stdout)
    assert [r["source"] for r in rows][-2:] == ["issue-260.txt", "issue-261.txt"]
    assert rows[-1]["date"] == "2022-02-18" and rows[-1]["name"] == "长三角每周要讯:2020:261"
    assert rows[-1]["articles"] == body_articles_of(lib, rows[-1]["id"])


def body_articles_of(library: Path, issue_id: int) -> int:
    return sum(1 for r in stored_articles(library) if r[0] == issue_id)


def test_path_follows_library_option_then_environment(tmp_path):
    assert digest("path", library=tmp_path).stdout == f"{tmp_path}\n"
    result = runner.invoke(app, ["path"], env={"DIGEST_HOME": str(tmp_path / "home")})
    assert result.stdout == f"{tmp_path / 'home'}\n"


# --- show ---------------------------------------------------------------------------------------


def test_show_prints_the_rebuilt_toc(lib):
    issue = parse_issue(SAMPLES / "issue-200.pdf")
    issue_id = sources(lib)["issue-200.pdf"]
    out = digest("show", str(issue_id), library=lib).stdout.splitlines()
    assert out[0] == "长三角每周要讯 · 2020 年第 200 期 · 2020-12-18 · 浙江省人民政府驻上海办事处 · issue-200.pdf"
    assert out[1:] == [
        "\t".join(str(v) if v is not None else "" for v in
                  (a.seq, a.section, " ".join(a.title.split()), a.page, a.toc_page,
                   a.status.value))
        for a in issue.articles]


def sources(library: Path) -> dict[str, int]:
    return {r["source"]: r["id"] for r in json.loads(digest("list", "--json", library=library).stdout)}


def test_show_an_article_in_full_by_bulletin_year_number(lib, tmp_path):
    result = digest("show", "长三角每周要讯:2020:261", "10", library=lib)
    article = parsed_variant(tmp_path, 261).articles[9]
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == article.title == "上海推“智慧养老”新举措"
    assert lines[1].startswith(f"{article.section} · 第 {article.page} 页")
    assert lines[3:] == list(article.body)


def test_show_json_of_an_article_is_its_export_row(lib, tmp_path):
    from digest.export import article_row

    row = json.loads(digest("show", "长三角每周要讯:2020:260", "3", "--json", library=lib).stdout)
    issue = parsed_variant(tmp_path, 260)
    assert row == article_row(issue, issue.articles[2]) | {"status": "ok"}


def test_show_names_what_is_missing(lib):
    result = digest("show", "长三角每周要讯:2019:1", library=lib)
    assert result.exit_code == 4
    assert result.stderr.startswith("Error: No issue '长三角每周要讯:2019:1' in the library")
    result = digest("show", "长三角每周要讯:2020:260", "99", library=lib)
    assert result.exit_code == 4 and "has no article 99" in result.stderr
    result = digest("show", "长三角每周要讯:2020:200", library=lib)  # four copies, one issue
    assert result.exit_code == 0 and result.stdout.startswith("长三角每周要讯 · 2020 年第 200 期")


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", QUERIES)
def test_search_finds_exactly_the_articles_that_contain_the_query(lib, query):
    expected = {(i, s) for i, s, title, body in stored_articles(lib)
                if query.lower() in title.lower() or query.lower() in body.lower()}
    result = digest("search", query, "--json", "--limit", "0", library=lib)
    assert result.exit_code == (0 if expected else 1)
    assert hit_keys(result) == expected


def test_search_prints_tab_separated_hits_with_marked_snippets(lib, tmp_path):
    result = digest("search", "智慧养老", "--bulletin", "长三角", "--since", "2022-02-15",
                    library=lib)
    article = parsed_variant(tmp_path, 261).articles[9]
    assert result.exit_code == 0
    issue_name, seq, date, section, title, page, region, snippet = result.stdout.rstrip(
        "\n").split("\t")
    assert (issue_name, seq, date, section, title, page, region) == (
        "长三角每周要讯:2020:261", "10", "2022-02-18", article.section, article.title,
        str(article.page), article.region or "")
    assert "【智慧养老】" in snippet and snippet.replace("【", "").replace("】", "").strip(
        "…") in " ".join(article.body)


def test_search_json_hits_have_export_fields_score_and_snippet(lib):
    from digest.export import FIELDS

    hits = json.loads(digest("search", "领航站", "--json", library=lib).stdout)
    assert hits and all(list(h)[:len(FIELDS)] == list(FIELDS) for h in hits)
    assert all(h["score"] > 0 and "【领航站】" in h["snippet"] for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_filters(lib):
    def keys(*args):
        return hit_keys(digest("search", "上海", *args, "--json", "--limit", "0", library=lib))

    by_section = keys("--section", "政策举措")
    assert by_section and all(a[1] for a in by_section)
    sections = {h["section"] for h in json.loads(digest(
        "search", "上海", "--section", "政策举措", "--json", "--limit", "0", library=lib).stdout)}
    assert sections == {"政策举措"}
    dated_2022 = keys("--since", "2022-02-15")
    assert {sources_by_id(lib)[i] for i, _ in dated_2022} == {"issue-261.txt"}
    assert keys("--until", "2020-12") | dated_2022 | keys("--since", "2021", "--until", "2021") \
        <= keys()
    assert keys("--bulletin", "没有这种要讯") == set()


def sources_by_id(library: Path) -> dict[int, str]:
    return {v: k for k, v in sources(library).items()}


def test_phrases_or_and_exclusion(lib):
    def titles(*args):
        result = digest("search", *args, "--json", "--limit", "0", library=lib)
        return {h["title"] for h in json.loads(result.stdout or "[]")}

    assert titles('"G60 科创贷"') == titles("G60")
    assert any(t.startswith("“G60 科创贷”产品发布") for t in titles('"G60 科创贷"'))
    assert titles("养老 OR 研究生") == titles("养老") | titles("研究生")
    assert titles("生物医药", "-上海") == titles("生物医药") - titles("上海")
    assert titles("生物医药 -上海") == titles("生物医药", "-上海")
    assert titles("江苏 养老") == titles("江苏") & titles("养老")


def test_no_hits_say_so_and_exit_1(lib):
    result = digest("search", "不存在的词语", library=lib)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "No articles match '不存在的词语'.\n")


def test_query_syntax_errors_are_hints_not_tracebacks(lib):
    result = digest("search", '"长三角 联盟', library=lib)
    assert result.exit_code == 2
    assert result.stderr == ("Error: Unclosed quote in query '\"长三角 联盟': close the phrase, "
                             "e.g. \"长三角 联盟\"\n")
    result = digest("search", "养老", "--since", "去年春天", library=lib)
    assert result.exit_code == 2 and result.stderr.startswith("Error: Cannot read the date")
    result = digest("search", "养老", "--regoin", "江苏", library=lib)
    assert result.exit_code == 2 and "No such option: --regoin" in result.stderr


def test_a_limit_says_when_there_are_more_hits(lib):
    result = digest("search", "上海", "--limit", "2", library=lib)
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == "Showing the first 2 hits: --limit N shows more (0 for all).\n"


# --- remove -------------------------------------------------------------------------------------


def test_remove_takes_the_issue_and_its_articles_out(tmp_path):
    paths = [write_variant(tmp_path, n) for n in (201, 202)]
    digest("add", *map(str, paths), library=tmp_path / "lib")
    n = body_articles(paths[0])
    result = digest("remove", "长三角每周要讯:2020:201", library=tmp_path / "lib")
    assert (result.exit_code, result.stdout) == (
        0, f"Removed issue 1: 长三角每周要讯:2020:201 (issue-201.txt, {n} articles).\n")
    assert [ln.split("\t")[0] for ln in digest("list", library=tmp_path / "lib").stdout.splitlines()] == ["2"]
    hits = json.loads(digest("search", "养老", "--json", library=tmp_path / "lib").stdout)
    assert {h["issue"] for h in hits} == {202}
    assert digest("remove", "1", library=tmp_path / "lib").exit_code == 4


# --- export of the library ----------------------------------------------------------------------


def exported(lib: Path, fmt: str, *args: str) -> str:
    result = digest("export", "--format", fmt, *args, library=lib)
    assert result.exit_code == 0, result.output
    return result.stdout


def file_rows(folder: Path) -> list[dict]:
    """What `digest export FILE...` gives for the files the library was made from."""
    from digest.export import issue_rows

    paths = [SAMPLE_PDFS[0], *(write_variant(folder, n) for n in (260, 261))]
    return [row for p in paths for row in issue_rows(parse_file(p))]


def by_key(rows):
    return sorted(rows, key=lambda r: (r["source"], r["seq"]))


def test_export_json_of_the_library_equals_the_export_of_its_files(lib, tmp_path):
    from digest.export import FIELDS

    rows = json.loads(exported(lib, "json"))
    assert all(list(r) == list(FIELDS) for r in rows)
    assert by_key(rows) == by_key(file_rows(tmp_path))
    dates = [r["date"] or "" for r in rows]
    assert dates == sorted(dates)  # issue order: by date, then within an issue by seq
    assert [json.loads(line) for line in exported(lib, "jsonl").splitlines()] == rows


def test_export_csv_reads_back_and_has_a_bom_for_excel(lib, tmp_path):
    import csv
    import io

    from digest.export import FIELDS

    rows = json.loads(exported(lib, "json", "--query", "养老"))
    text = exported(lib, "csv", "--query", "养老")
    back = list(csv.DictReader(io.StringIO(text)))
    assert list(back[0]) == list(FIELDS)
    assert [(r["source"], int(r["seq"]), r["title"], r["body"]) for r in back] == [
        (r["source"], r["seq"], r["title"], r["body"]) for r in rows]
    out = tmp_path / "养老.csv"
    digest("export", "--format", "csv", "--bom", "--query", "养老", "-o", str(out), library=lib)
    assert out.read_bytes().startswith(b"\xef\xbb\xbfsource,bulletin,")


def test_export_is_filtered_like_search(lib):
    rows = json.loads(exported(lib, "json", "--query", "上海 -养老", "--section", "政策"))
    expected = sql_rows(
        lib, "SELECT i.source, a.seq FROM articles a JOIN issues i ON i.id = a.issue_id "
        "WHERE instr(a.section, '政策') > 0 "
        "AND (instr(a.title, '上海') > 0 OR instr(a.body, '上海') > 0) "
        "AND NOT (instr(a.title, '养老') > 0 OR instr(a.body, '养老') > 0) "
        "ORDER BY i.date, i.bulletin, i.number, i.id, a.seq")
    assert expected and [(r["source"], r["seq"]) for r in rows] == expected
    rows = json.loads(exported(lib, "json", "--since", "2022-02-15"))
    assert {r["source"] for r in rows} == {"issue-261.txt"}


def test_export_md_of_the_library_is_a_readable_document(lib):
    text = exported(lib, "md", "--query", "智慧养老", "--since", "2022")
    assert text.startswith("# 长三角每周要讯 2020 年第 260 期 2022-02-11\n\n## 上海推“智慧养老”新举措\n")
    assert "\n# 长三角每周要讯 2020 年第 261 期 2022-02-18\n\n## 上海推“智慧养老”新举措\n" in text


def test_export_filters_need_the_library_not_files(lib):
    result = digest("export", str(SAMPLE_PDFS[0]), "--query", "养老", library=lib)
    assert result.exit_code == 2 and "give them without issue files" in result.stderr


# --- help and start-up --------------------------------------------------------------------------


def test_every_library_command_has_an_example_and_search_loads_nothing_heavy(lib):
    import subprocess
    import sys

    for command in ("path", "add", "list", "show", "remove", "search"):
        assert f"Example: {'DIGEST_HOME=~/bulletins ' if command == 'path' else ''}digest " \
            f"{command}" in digest(command, "--help").stdout
    code = ("import sys; from typer.testing import CliRunner; from digest.cli import app; "
            f"r = CliRunner().invoke(app, ['search', '养老', '--library', {str(lib)!r}]); "
            "print(r.exit_code, sorted(m for m in ('pypdf', 'jieba', 'rapidfuzz') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0 []"
