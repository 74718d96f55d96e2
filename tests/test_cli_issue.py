"""`digest toc` and `digest export` through the CLI, and what bad input gets."""

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import SAMPLES, truth
from pypdf import PdfWriter
from typer.testing import CliRunner

from digest.cli import app
from digest.export import FIELDS
from digest.text import compact

runner = CliRunner()
ISSUE = str(SAMPLES / "issue-200.pdf")
STALE = str(SAMPLES / "issue-200-stale.pdf")


def run(*args):
    return runner.invoke(app, list(args))


def test_toc_plain_text_when_piped():
    result = run("toc", STALE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "长三角每周要讯  2020 年第 200 期  2020-12-18  浙江省人民政府驻上海办事处"
    assert lines[1:6] == ["", "科创聚焦", "1\t“长三角生物医药产业服务发展联盟”在上海正式启动\t3\t3\tok",
                          "2\t“G60 科创贷”产品发布 纯信用贷款最高额度 5000 万元\t4\t4\tok", ""]
    assert "3\t上海自贸区启动“全球营运商计划”\t5\t4\tTOC page wrong" in lines
    assert result.stderr.count("the printed TOC says") == 8


def test_toc_json():
    data = json.loads(run("toc", ISSUE, "--json").stdout)
    assert data["masthead"] == {"bulletin": "长三角每周要讯", "year": 2020, "issue": 200, "total_issue": None,
                                "publisher": "浙江省人民政府驻上海办事处", "date": "2020-12-18"}
    assert data["pages"] == 25
    assert [a["page"] for a in data["articles"]] == [a["page"] for a in truth("issue-200.pdf")["articles"]]
    assert {a["status"] for a in data["articles"]} == {"ok"}
    assert len(data["printed_toc"]) == 22


def rows(fmt, *extra):
    result = run("export", ISSUE, "--format", fmt, *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_export_csv_has_exactly_the_fields_in_issue_order():
    table = list(csv.DictReader(io.StringIO(rows("csv"))))
    assert list(table[0]) == list(FIELDS)
    assert [r["seq"] for r in table] == [str(i) for i in range(1, 23)]
    first = table[0]
    assert (first["source"], first["bulletin"], first["year"], first["issue"], first["date"], first["page"],
            first["toc_page"], first["section"]) == ("issue-200.pdf", "长三角每周要讯", "2020", "200",
                                                     "2020-12-18", "3", "3", "科创聚焦")
    assert [compact(p) for p in first["body"].split("\n")] == \
        [compact(p) for p in truth("issue-200.pdf")["articles"][0]["body"]]


def test_export_json_and_jsonl_agree():
    as_json = json.loads(rows("json"))
    as_jsonl = [json.loads(line) for line in rows("jsonl").splitlines()]
    assert as_json == as_jsonl
    assert [r["title"] for r in as_json][:2] == ["“长三角生物医药产业服务发展联盟”在上海正式启动",
                                                  "“G60 科创贷”产品发布 纯信用贷款最高额度 5000 万元"]
    assert all(isinstance(r["regions"], list) and r["summary"] for r in as_json)


def test_export_to_a_file_with_a_bom(tmp_path):
    out = tmp_path / "issue.csv"
    result = run("export", ISSUE, "--format", "csv", "--bom", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))) == 22
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_export_refuses_an_unknown_format():
    result = run("export", ISSUE, "--format", "ods")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--format' / '-f': Value error, 'ods' is not one of 'csv', "
        "'json', 'jsonl', 'md', 'xlsx'.")


@pytest.fixture(scope="module")
def bad_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("bad")
    (d / "damaged.pdf").write_bytes((SAMPLES / "issue-200.pdf").read_bytes()[:3000])
    (d / "image.pdf").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    writer = PdfWriter(clone_from=SAMPLES / "issue-200.pdf")
    writer.encrypt("secret", algorithm="AES-256")
    writer.write(d / "locked.pdf")
    blank = PdfWriter()
    blank.add_blank_page(595, 842)
    blank.write(d / "scan.pdf")
    (d / "prose.txt").write_text("这是一段普通的文字，没有目录也没有标题。\n" * 20, "utf-8")
    return d


@pytest.mark.parametrize("name, message", [
    ("damaged.pdf", "the PDF is damaged and cannot be read"),
    ("image.pdf", "neither a PDF nor text"),
    ("locked.pdf", "the PDF is encrypted; give its password with --password"),
    ("scan.pdf", "the PDF has no text layer and no scanned page images (blank pages?)"),
    ("prose.txt", "no table of contents and no article titles found"),
    ("missing.pdf", "no such file"),
])
def test_bad_input_gets_one_line_and_a_non_zero_exit(bad_files, name, message):
    result = run("toc", str(bad_files / name))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {name}: {message}") or \
        result.stderr.startswith(f"Error: {bad_files / name}: {message}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_password_opens_an_encrypted_pdf_and_debug_shows_the_traceback(bad_files):
    result = run("toc", str(bad_files / "locked.pdf"), "--password", "secret", "--json")
    assert len(json.loads(result.stdout)["articles"]) == 22
    wrong = run("toc", str(bad_files / "locked.pdf"), "--password", "guess")
    assert wrong.stderr.strip() == "Error: locked.pdf: the PDF is encrypted; the password is wrong"
    debug = run("--debug", "toc", str(bad_files / "damaged.pdf"))
    assert debug.exit_code == 2 and "Traceback" in debug.stderr


def test_text_from_stdin(seed_path):
    result = runner.invoke(app, ["toc", "-", "--json"], input=seed_path.read_bytes())
    assert len(json.loads(result.stdout)["articles"]) == 22


def test_help_has_examples_and_loads_nothing_heavy():
    for command in ("toc", "export"):
        assert f"digest {command} --example" in run(command, "--help").stdout
    code = ("import sys, digest.cli; from typer.testing import CliRunner; "
            "CliRunner().invoke(digest.cli.app, ['--help']); "
            "print(sorted(m for m in ('pypdf', 'jieba', 'rapidfuzz', 'sqlite3') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_toc_does_not_load_jieba():
    code = ("import sys; from typer.testing import CliRunner; import digest.cli; "
            f"CliRunner().invoke(digest.cli.app, ['toc', {ISSUE!r}]); print('jieba' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


def test_version():
    from digest import __version__

    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"digest {__version__}\n")
