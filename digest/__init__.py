"""digest: read Chinese government news bulletins.

The public API, for notebooks and servers as much as for the command line::

    from digest import read_issue, Library
    issue = read_issue("issue.pdf")  # parse_issue, then enrich_issue
    for article in issue.articles:
        print(article.page, article.region, article.title)

Names are imported on first use, so that ``import digest`` stays light (no pypdf, jieba or
SQLite until they are needed).
"""

from __future__ import annotations

from importlib import import_module

# typing.TYPE_CHECKING without importing typing, which every command would pay for at start-up
# (type checkers read a module-level TYPE_CHECKING = False the same way).
TYPE_CHECKING = False

__version__ = "0.1.0"

_EXPORTS = {
    "parse_issue": "digest.issue", "parse_text": "digest.issue",
    "enrich_issue": "digest.enrich", "read_issue": "digest.enrich",
    "Library": "digest.library",
    "Issue": "digest.models", "Article": "digest.models", "TocEntry": "digest.models",
    "Masthead": "digest.models", "Status": "digest.models",
    "DigestError": "digest.errors",
    "issue_rows": "digest.export", "write_rows": "digest.export",
}
__all__ = [  # noqa: RUF022 - grouped by stage, like _EXPORTS
    "parse_issue", "parse_text", "enrich_issue", "read_issue", "Library",
    "Issue", "Article", "TocEntry", "Masthead", "Status", "DigestError", "issue_rows", "write_rows",
]

if TYPE_CHECKING:
    from digest.enrich import enrich_issue, read_issue
    from digest.errors import DigestError
    from digest.export import issue_rows, write_rows
    from digest.issue import parse_issue, parse_text
    from digest.library import Library
    from digest.models import Article, Issue, Masthead, Status, TocEntry


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'digest' has no attribute {name!r}")
