"""Data files of digest (word lists, the gazetteer, regional groupings) and one sample issue.

``example/issue-200.txt`` is 《长三角每周要讯》2020年第200期 as poppler's ``pdftotext -layout``
extracts it from ``samples/issue-200.pdf`` (a text file: 35 KB, where the PDF with its fonts is
400 KB). It ships inside the package so that the examples of ``digest --help`` run after a
plain ``pip install``: ``--example`` reads it.
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE_ISSUE = Path(__file__).with_name("example") / "issue-200.txt"
