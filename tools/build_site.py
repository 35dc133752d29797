"""Build the series' static site from the notebooks' stored outputs, offline (`make site`).

    python tools/build_site.py [--out build/site] [--notebooks notebooks] [--readme README.md]

Steps: stage a copy of every numbered notebook (`NN_slug.ipynb`) and of the
instructor notes, with each explorer's widget output replaced by a short note
(an explorer needs a kernel; the notebook shows a static figure of it next);
write the landing page from `site/index.md`; run Sphinx with MyST-NB, which
renders the stored outputs and never executes a notebook. The landing page
also offers the student copies for download (tools/student_copy.py). Prints
the site's size and every figure that has no alt text in its output metadata.
Nothing is downloaded: the theme's files come with its Python package, and
MathJax (only for pages with math) from `node_modules/` (`npm ci`).
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE_SOURCE = ROOT / "site"
NOTEBOOK_PATTERN = "[0-9][0-9]_*.ipynb"
INSTRUCTOR_NOTES = "instructor_notes.md"
# Where the series lives; a README badge that points elsewhere wins.
DEFAULT_BINDER_BASE = "https://mybinder.org/v2/gh/embedpool/embedpool/HEAD"
BINDER_BASE_IN_README = re.compile(r"https://mybinder\.org/v2/gh/[^?\s)\"']+")
SHORT_ANSWER_IN_README = re.compile(r"<!--\s*short-answer\s*-->(.*?)<!--\s*/short-answer\s*-->", re.DOTALL)
TIME_LINE = re.compile(r"\*\*Time[.:]?\*\*[.:]?\s*(.+)")
# A markdown link to a section of a notebook (or of the same page): (target.ipynb#fragment) or (#fragment).
SECTION_LINK = re.compile(r"(?<!!)(\[[^\]]*\])\(([^)\s#]*?\.ipynb|)#([^)\s]+)\)")
MARKDOWN_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$", re.MULTILINE)
# A markdown link (not an image) from notebooks/ to a file of the repository outside it.
LINK_OUT_OF_NOTEBOOKS = re.compile(r"(?<!!)(\[[^\]]*\])\(\.\./([^)\s#]+)(#[^)\s]*)?\)")
FIGURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg"}

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "widgets"
EXPLORER_NOTE = (
    '<p class="embedpool-explorer-note"><strong>Interactive explorer.</strong> '
    "Its sliders and toggles need a running notebook (in JupyterLab, or on Binder with the "
    "link at the top of this page). The figure that follows shows its starting view.</p>\n"
)


def numbered_notebooks(folder: Path) -> list[Path]:
    """The series' notebooks in reading order: every `NN_slug.ipynb` in ``folder``."""
    return sorted(folder.glob(NOTEBOOK_PATTERN))


def static_view(notebook: dict) -> dict:
    """A copy of ``notebook`` fit for a static page: widget outputs become a note, widget state goes.

    Without a kernel a widget view shows nothing (or an error), and its
    saved state would only make the page load a widget manager.
    """
    notebook = copy.deepcopy(notebook)
    notebook.get("metadata", {}).pop(WIDGET_STATE, None)
    for cell in notebook.get("cells", []):
        outputs = cell.get("outputs", [])
        for index, output in enumerate(outputs):
            if WIDGET_VIEW in output.get("data", {}):
                outputs[index] = {
                    "output_type": "display_data",
                    "data": {"text/html": EXPLORER_NOTE},
                    "metadata": {},
                }
    return notebook


def repository_file_url(binder: str) -> str:
    """Where the repository's files are read online: `https://github.com/ORG/REPO/blob/REF/`."""
    org, repo, ref = binder.rstrip("/").split("/v2/gh/", 1)[1].split("/")[:3]
    return f"https://github.com/{org}/{repo}/blob/{ref}/"


def with_repository_links(markdown: str, file_url: str) -> str:
    """``markdown`` with links to repository files outside notebooks/ (README, CONTRIBUTING, …)
    pointing at the repository online: the site holds only the notebooks and the notes."""
    return LINK_OUT_OF_NOTEBOOKS.sub(lambda m: f"{m.group(1)}({file_url}{m.group(2)}{m.group(3) or ''})", markdown)


def heading_texts(notebook: dict) -> list[str]:
    """The text of every heading (levels 1-3) of the notebook's markdown cells, as a reader sees it.

    Inline code counts without its backticks and bold without its asterisks,
    as in the rendered heading whose text JupyterLab turns into an id.
    """
    texts = []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for match in MARKDOWN_HEADING.finditer(_joined(cell.get("source", ""))):
                texts.append(match.group(2).replace("`", "").replace("**", ""))
    return texts


def jupyterlab_id(text: str) -> str:
    """The id JupyterLab gives a heading: its text, spaces replaced by "-" (the site uses the same, see conf.py)."""
    return text.replace(" ", "-")


def github_slug(text: str) -> str:
    """The id GitHub (and MyST by default) gives a heading: lowercase, punctuation dropped, spaces -> "-"."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def with_jupyterlab_fragments(markdown: str, headings: dict[str, list[str]], page: str) -> tuple[str, list[str]]:
    """``markdown`` with section links written GitHub-style rewritten to the heading's JupyterLab id.

    Links are written as JupyterLab names headings (``#1.-A-batch-of-sentences``),
    and the site gives its headings the same ids. A link still written
    GitHub-style (``#1-a-batch-of-sentences``) works on neither side of
    JupyterLab's, so it is rewritten here, and a note says where; a fragment
    that names no heading is left alone, and the build fails on it.

    Parameters
    ----------
    markdown : str
    headings : dict of str -> list of str
        Notebook file name (``"02_output_tensor.ipynb"``, ``""`` for the page
        itself) -> the texts of its headings.
    page : str
        Where the markdown comes from, for the notes.

    Returns
    -------
    (str, list of str)
        The markdown, and one note per rewritten link.
    """
    notes = []

    def rewrite(match: re.Match) -> str:
        label, target, fragment = match.groups()
        texts = headings.get(Path(target).name if target else "", [])
        ids = {jupyterlab_id(text) for text in texts}
        if fragment in ids:
            return match.group(0)
        by_slug = {github_slug(text): jupyterlab_id(text) for text in texts}
        if fragment not in by_slug:
            return match.group(0)  # MyST reports it, and the build fails
        notes.append(f"{page}: link {target}#{fragment} is GitHub-style; JupyterLab needs #{by_slug[fragment]}")
        return f"{label}({target}#{by_slug[fragment]})"

    return SECTION_LINK.sub(rewrite, markdown), notes


def _joined(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def _first_cell_text(notebook: dict) -> str:
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "markdown":
            return _joined(cell.get("source", ""))
    return ""


def notebook_title(notebook: dict, fallback: str) -> str:
    """The text of the notebook's `# Title` heading (its first markdown cell)."""
    for line in _first_cell_text(notebook).splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def notebook_time(notebook: dict) -> str:
    """The first clause of the title cell's **Time.** line, e.g. "About 20 minutes" ("" if none).

    A clause ends at ";", ": ", ", ", " (" or a full stop; "1,000" or "10:30" are not cut.
    """
    match = TIME_LINE.search(_first_cell_text(notebook))
    if not match:
        return ""
    return re.split(r";|:\s|,\s|\s\(|\.\s|\.$", match.group(1).strip())[0].strip()


def binder_base(readme_text: str) -> str:
    """The Binder URL of the repository up to the ref, as the README's badge has it."""
    match = BINDER_BASE_IN_README.search(readme_text)
    return match.group(0) if match else DEFAULT_BINDER_BASE


def short_answer(readme_text: str) -> str:
    """The README's short answer (between `<!-- short-answer -->` markers), or the site's placeholder."""
    match = SHORT_ANSWER_IN_README.search(readme_text)
    if match and match.group(1).strip():
        return match.group(1).strip()
    return (SITE_SOURCE / "short_answer.md").read_text(encoding="utf-8").strip()


def fill_template(template: str, values: dict[str, str]) -> str:
    """Replace each `{{name}}` in ``template``; every placeholder must have a value."""

    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise KeyError(f"site/index.md uses {{{{{match.group(1)}}}}}, which the build does not fill")
        return values[match.group(1)]

    return re.sub(r"\{\{(\w+)\}\}", value, template)


def landing_page(notebooks: list[tuple[str, dict]], has_notes: bool, readme_text: str) -> str:
    """The site's index.md: ``notebooks`` are (stem, notebook) pairs in reading order."""
    rows = ["| notebook | time |", "| --- | --- |"]
    for stem, notebook in notebooks:
        title = notebook_title(notebook, stem).replace("|", "\\|")
        rows.append(f"| [{title}](notebooks/{stem}.ipynb) | {notebook_time(notebook) or '–'} |")
    entries = [f"notebooks/{stem}" for stem, _ in notebooks]
    if has_notes:
        entries.append(f"notebooks/{Path(INSTRUCTOR_NOTES).stem}")
    base = binder_base(readme_text)
    first = f"{base}?urlpath=lab/tree/notebooks/{notebooks[0][0]}.ipynb" if notebooks else base
    template = (SITE_SOURCE / "index.md").read_text(encoding="utf-8")
    return fill_template(
        template,
        {
            "short_answer": short_answer(readme_text),
            "notebook_table": "\n".join(rows),
            "toctree_entries": "\n".join(entries),
            "binder_first_notebook": first,
            "instructor_notes": (
                f" The [instructor notes](notebooks/{INSTRUCTOR_NOTES}) give timings, stumbling points"
                " and questions to ask."
                if has_notes
                else ""
            ),
        },
    )


def stage(notebooks_dir: Path, readme: Path | None, stage_dir: Path) -> str:
    """Write the Sphinx source tree into ``stage_dir``; returns the Binder base URL to use."""
    if stage_dir.exists():
        shutil.rmtree(stage_dir)
    (stage_dir / "notebooks").mkdir(parents=True)
    readme_text = readme.read_text(encoding="utf-8") if readme and readme.is_file() else ""
    file_url = repository_file_url(binder_base(readme_text))
    paths = numbered_notebooks(notebooks_dir)
    if not paths:
        raise SystemExit(f"no notebooks named {NOTEBOOK_PATTERN} in {notebooks_dir}")
    loaded = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in paths}
    headings = {name: heading_texts(notebook) for name, notebook in loaded.items()}
    link_notes = []
    notebooks = []
    for path in paths:
        notebook = loaded[path.name]
        staged = static_view(notebook)
        for cell in staged.get("cells", []):
            if cell.get("cell_type") == "markdown":
                text = with_repository_links(_joined(cell.get("source", "")), file_url)
                cell["source"], found = with_jupyterlab_fragments(text, headings | {"": headings[path.name]}, path.name)
                link_notes += found
        (stage_dir / "notebooks" / path.name).write_text(json.dumps(staged), encoding="utf-8")
        notebooks.append((path.stem, notebook))
    notes = notebooks_dir / INSTRUCTOR_NOTES
    if notes.is_file():
        text = with_repository_links(notes.read_text(encoding="utf-8"), file_url)
        text, found = with_jupyterlab_fragments(text, headings, INSTRUCTOR_NOTES)
        link_notes += found
        (stage_dir / "notebooks" / INSTRUCTOR_NOTES).write_text(text, encoding="utf-8")
    readme_text, found = with_jupyterlab_fragments(readme_text, headings, "README.md")
    link_notes += found
    for note in link_notes:
        print(f"note: {note}", file=sys.stderr)
    # Pictures that markdown cells or the notes show, wherever they sit below notebooks/.
    for picture in notebooks_dir.rglob("*"):
        if picture.suffix.lower() in FIGURE_SUFFIXES and ".ipynb_checkpoints" not in picture.parts:
            target = stage_dir / "notebooks" / picture.relative_to(notebooks_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(picture, target)
    landing = landing_page(notebooks, notes.is_file(), readme_text) + student_downloads(
        notebooks_dir, stage_dir, notebooks
    )
    (stage_dir / "index.md").write_text(landing, encoding="utf-8")
    return binder_base(readme_text)


def student_downloads(notebooks_dir: Path, stage_dir: Path, notebooks: list[tuple[str, dict]]) -> str:
    """The landing page's section that offers the student copies (tools/student_copy.py) for download.

    The copies are written beside the Sphinx source (not inside it, where
    Sphinx would read them as pages); a MyST ``path:`` link ships each file as a download.
    """
    import student_copy  # tools/student_copy.py

    folder = stage_dir.parent / "student"
    student_copy.build_student_copies(notebooks_dir, folder)
    items = [f"- [All the notebooks, one zip file](path:../student/{student_copy.ZIP_NAME})"]
    for stem, notebook in notebooks:
        title = re.sub(r"[`\[\]]", "", notebook_title(notebook, stem))
        items.append(f"- [{title}](path:../student/{stem}.ipynb)")
    return (
        "\n\n## Student copies\n\n"
        "For lecturers: the notebooks to hand out, with the solutions removed, the exercise cells blank and the "
        "instructor notes left out. They still need the helper package installed; the repository's README says "
        "how to use them.\n\n" + "\n".join(items) + "\n"
    )


def run_sphinx(source_dir: Path, out_dir: Path, doctree_dir: Path, binder: str, quiet: bool) -> dict[str, list[str]]:
    """Build HTML with warnings as errors; returns {page: [figure files without alt text]}."""
    try:
        from sphinx.application import Sphinx
        from sphinx.util.docutils import docutils_namespace, patch_docutils
    except ImportError as error:
        raise SystemExit(
            f"{error}: the site needs the `site` extra, on Python 3.11 or newer (make site installs it)"
        ) from error

    status = io.StringIO() if quiet else sys.stdout
    with patch_docutils(SITE_SOURCE), docutils_namespace():
        app = Sphinx(
            str(source_dir),
            str(SITE_SOURCE),
            str(out_dir),
            str(doctree_dir),
            "html",
            confoverrides={"embedpool_binder_base": binder},
            status=status,
            warning=sys.stderr,
            freshenv=True,
            warningiserror=True,
        )
        app.build(force_all=True)
        if app.statuscode:
            raise SystemExit(f"the site build failed (status {app.statuscode}); see the messages above")
        missing = app.env.embedpool_missing_alt  # type: ignore[attr-defined]  # set by site/_ext/embedpool_site.py
        return {page: files for page, files in missing.items() if files}


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def build_site(out_dir: Path, notebooks_dir: Path, readme: Path | None, quiet: bool = False) -> dict[str, list[str]]:
    """Stage and build the site into ``out_dir``; working files go beside it. Returns figures lacking alt."""
    work_dir = out_dir.parent / f"{out_dir.name}-work"
    for folder in (out_dir, work_dir, out_dir.parent / "jupyter_execute"):
        if folder.exists():
            shutil.rmtree(folder)
    binder = stage(notebooks_dir, readme, work_dir / "source")
    missing_alt = run_sphinx(work_dir / "source", out_dir, work_dir / "doctrees", binder, quiet)
    # What a reader never needs: Sphinx's rebuild record, the (empty) sources
    # folder, the theme's template macros, and its source maps (2 MB).
    (out_dir / ".buildinfo").unlink(missing_ok=True)
    (out_dir / "_static" / "webpack-macros.html").unlink(missing_ok=True)
    shutil.rmtree(out_dir / "_sources", ignore_errors=True)
    for source_map in out_dir.rglob("*.map"):
        source_map.unlink()
    return missing_alt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="output folder (default build/site)")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks", help="folder of NN_slug.ipynb files")
    parser.add_argument("--readme", type=Path, default=ROOT / "README.md", help="README with the Binder badge")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and the summary")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    missing_alt = build_site(args.out.resolve(), args.notebooks.resolve(), args.readme, args.quiet)
    seconds = time.perf_counter() - started
    images = args.out / "_images"
    image_bytes = folder_size(images) if images.is_dir() else 0
    print(
        f"site built in {seconds:.1f} s: {args.out / 'index.html'}; "
        f"{folder_size(args.out) / 1e6:.1f} MB in all, figures {image_bytes / 1e6:.1f} MB"
    )
    for page, files in sorted(missing_alt.items()):
        print(f"note: {page}: {len(files)} figure(s) without alt text in their output metadata")
    return 0


if __name__ == "__main__":
    sys.exit(main())
