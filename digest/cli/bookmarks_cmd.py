"""`digest bookmarks`: the rebuilt TOC written into a copy of the PDF as its outline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from digest.cli import app
from digest.cli.common import boundary, err, page_callback, progress, state, warn_all
from digest.cli.office_out import binary_target, write_bytes
from digest.cli.options import OcrJobsOpt, OcrOpt, PasswordOpt, ReaderOpt, reader_name
from digest.errors import DigestError, InputError
from digest.source import OcrMode


@app.command()
@boundary
def bookmarks(
    issue: Annotated[str | None, typer.Argument(help="The issue's PDF.", metavar="[ISSUE.pdf]",
                                                show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="The bookmarked copy (with --all: a folder for the copies).",
        show_default=False)] = None,
    all_in: Annotated[Path | None, typer.Option(
        "--all", metavar="FOLDER", help="Bookmark every PDF in FOLDER, writing copies into -o FOLDER.",
        show_default=False)] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Drop the PDF's existing bookmarks "
                                          "(by default they are kept, the rebuilt TOC after them).")] = False,
    password: PasswordOpt = None,
    example: Annotated[bool, typer.Option("--example", help="Bookmark the sample PDF shipped "
                                          "with digest (《京津冀协同发展动态》2021年第7期).")] = False,
    reader: ReaderOpt = None,
    ocr: OcrOpt = OcrMode.AUTO,
    jobs: OcrJobsOpt = 1,
) -> None:
    """Write the rebuilt TOC into a copy of the PDF as bookmarks (its outline).

    One bookmark per section and one per article under it, each opening the page where the
    article really starts, even where the printed TOC is stale. Pages, fonts, annotations and
    metadata are copied unchanged; the input is never overwritten.

    --all FOLDER -o OUTFOLDER bookmarks every PDF of a folder.

    Example: digest bookmarks --example -o example-bookmarked.pdf
    """
    if example:
        from digest.data import EXAMPLE_PDF

        if issue is not None or all_in is not None:
            raise InputError("give an ISSUE.pdf, --all FOLDER or --example, not two of them")
        issue = str(EXAMPLE_PDF)
    if output is None:
        raise InputError("give the output with -o, e.g. digest bookmarks ISSUE.pdf -o OUT.pdf")
    if all_in is not None:
        if issue is not None:
            raise InputError("give either an ISSUE.pdf or --all FOLDER, not both")
        failed = _folder(all_in, output, password, replace, _Reading(reader_name(reader), ocr, jobs))
        if failed:
            raise typer.Exit(failed)
        return
    if issue is None:
        raise InputError("name the issue's PDF, e.g. digest bookmarks ISSUE.pdf -o OUT.pdf")
    with progress(1, "OCR") as bar:
        _one(issue, output, password, replace, _Reading(reader_name(reader), ocr, jobs), bar)


@dataclass(frozen=True)
class _Reading:
    """How issues are read: the PDF reader and OCR."""

    reader: str | None
    ocr: OcrMode
    jobs: int


def _one(issue: str, output: Path, password: str | None, replace: bool, how: _Reading, bar) -> None:
    from digest.bookmarks import bookmark_pdf

    target = binary_target(output, "pdf", [issue])
    result = bookmark_pdf(issue, password=password, replace=replace, reader=how.reader, ocr=how.ocr,
                          jobs=how.jobs, progress=page_callback(bar, f"OCR {Path(issue).name}"))
    write_bytes(target, result.data)
    warn_all(result.warnings, result.source)
    if result.kept and not state.quiet:
        err(f"{result.source}: kept its {result.kept} existing bookmarks (--replace drops them)")


def _folder(folder: Path, out_dir: Path, password: str | None, replace: bool, how: _Reading) -> int:
    """Bookmark every PDF of ``folder`` into ``out_dir``; the exit code (0 when all worked)."""
    from digest.bookmarks import pdfs_in

    paths = pdfs_in(folder)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: not a folder; with --all, -o names the folder for the copies")
    if out_dir.exists() and out_dir.resolve() == folder.resolve():
        raise InputError(f"{out_dir}: is the input folder; the copies must go to another folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    with progress(len(paths), "Bookmarking") as bar:
        task = bar.add_task("Bookmarking", total=len(paths))
        for path in paths:
            try:
                _one(str(path), out_dir / path.name, password, replace, how, bar)
            except DigestError as exc:
                err(f"Error: {exc}")
                failed = failed or exc.exit_code
            bar.advance(task)
    return failed
