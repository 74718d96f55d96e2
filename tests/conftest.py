"""Shared paths. The seed and the real-PDF fixtures live in ../shared, beside the repository;
tests that need them skip when that folder is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"
SEED = SHARED / "seeds" / "000_bf3dd7d26da6ecb5.txt"
FIXTURES = SHARED / "fixtures" / "real-pdfs"
SAMPLE_PDFS = ("issue-200.pdf", "issue-200-stale.pdf", "issue-200-notoc.pdf")


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is absent)")
    return path


@pytest.fixture
def seed_path() -> Path:
    return need(SEED)


def fixture_pdf(name: str) -> Path:
    return need(FIXTURES / "pdf" / name)


def truth(name: str) -> dict:
    return json.loads((SAMPLES / name.replace(".pdf", ".truth.json")).read_text("utf-8"))


def source_issue() -> dict:
    return json.loads((SAMPLES / "source" / "issue-200.json").read_text("utf-8"))
