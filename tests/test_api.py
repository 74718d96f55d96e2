"""The public API: every exported name resolves, and importing digest stays light."""

import subprocess
import sys

import digest


def test_every_exported_name_resolves():
    assert sorted(digest.__all__) == sorted(digest._EXPORTS)
    for name in digest.__all__:
        assert getattr(digest, name).__name__ == name


def test_import_digest_loads_nothing_heavy():
    code = "import sys, digest; print(sorted(m for m in ('pypdf', 'jieba', 'sqlite3', 'rich', 'typer') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "[]"


def test_parse_enrich_export_from_python(tmp_path):
    import io

    from conftest import SAMPLES

    issue = digest.enrich_issue(digest.parse_issue(SAMPLES / "issue-200.pdf"))
    out = io.StringIO()
    assert digest.write_rows(digest.issue_rows(issue), "jsonl", out) == 22
    assert issue.articles[0].region == "长三角"
