"""Data files of digest (word lists, the gazetteer, regional groupings) and one sample issue.

``example/issue-200.txt`` is 《长三角每周要讯》2020年第200期 as poppler's ``pdftotext -layout``
extracts it from ``samples/issue-200.pdf`` (a text file: 35 KB, where the PDF with its fonts is
400 KB). It ships inside the package so that the examples of ``digest --help`` run after a
plain ``pip install``: ``--example`` reads it.

``example/jingjinji-2021-7.pdf`` (80 KB) is a PDF issue, 《京津冀协同发展动态》2021年第7期, for
the commands that need a PDF (``digest bookmarks --example``); it is the layout case
``tests/data/layouts/jingjinji-glyphs-classic-s2.pdf`` (a bulletin written for the tests).
"""

from __future__ import annotations

from pathlib import Path

EXAMPLE_ISSUE = Path(__file__).with_name("example") / "issue-200.txt"
EXAMPLE_PDF = EXAMPLE_ISSUE.with_name("jingjinji-2021-7.pdf")
