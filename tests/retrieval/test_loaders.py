"""Loaders turn real files into sections with the right metadata, or say clearly why not."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import retrieval.loaders
from retrieval.loaders import (
    MAX_FILE_BYTES,
    SUPPORTED_SUFFIXES,
    LoadError,
    discover,
    find_catalog,
    load_file,
)
from retrieval.types import Document
from tests.conftest import REPO, SHARED_DATA
from tests.utils.scorm import build_scorm, minimal_manifest, write_zip


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _outline(doc: Document) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(s.title, s.anchor, s.heading_path) for s in doc.sections]


# --- public surface -------------------------------------------------------------------


def test_public_surface_and_error_shape() -> None:
    assert set(retrieval.loaders.__all__) == {
        "MAX_FILE_BYTES",
        "SUPPORTED_SUFFIXES",
        "Catalog",
        "LoadError",
        "discover",
        "find_catalog",
        "load_file",
    }
    assert {".md", ".markdown", ".html", ".htm", ".pdf", ".txt", ".zip"} == SUPPORTED_SUFFIXES
    assert MAX_FILE_BYTES == 50 * 1024 * 1024
    err = LoadError(Path("a/b.md"), "document is empty")
    assert (err.path, err.reason, str(err)) == (
        "a/b.md",
        "document is empty",
        "a/b.md: document is empty",
    )


def test_loaders_never_import_the_service() -> None:
    code = "import sys, retrieval.loaders; print(sorted({m.split('.')[0] for m in sys.modules}))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    assert "'coach'" not in out and "'fastapi'" not in out and "'retrieval'" in out


# --- Markdown -------------------------------------------------------------------------

DEMO_MD = """---
course_id: gdpr
course_title: GDPR basics
module_id: gdpr-01
title: The basics
modality: e-learning
duration_minutes: 20
language: fr-FR
skills: [privacy.basics, privacy.rights]
prerequisites: onboarding, security
reviewed: 2024-05-01
---
# Les bases

Opening words.

## Lawful basis

Six bases exist.

### Consent

Consent must be free.

```python
# not a heading
## nor this
x = 1
```

## Lawful basis

Again, with `code` and a [link](https://example.org).
"""


def test_demo_style_front_matter(tmp_path: Path) -> None:
    md = _write(tmp_path / "courses" / "gdpr" / "01-basics.md", DEMO_MD)
    (doc,) = load_file(md, root=tmp_path)
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "gdpr",
        "GDPR basics",
        "gdpr-01",
        "The basics",
    )
    assert (doc.language, doc.modality) == ("fr", "e-learning")
    assert doc.skills == ["privacy.basics", "privacy.rights"]
    assert doc.prerequisites == ["onboarding", "security"]
    # Everything else stays, JSON-friendly (YAML dates become strings).
    assert doc.metadata == {"duration_minutes": 20, "reviewed": "2024-05-01"}
    assert doc.source_path == "courses/gdpr/01-basics.md"
    assert doc.content_hash == hashlib.sha256(md.read_bytes()).hexdigest()


def test_sections_sub_headings_fenced_code_and_anchors(tmp_path: Path) -> None:
    (doc,) = load_file(_write(tmp_path / "c" / "m.md", DEMO_MD), root=tmp_path)
    assert _outline(doc) == [
        # Text between the H1 and the first '##' is titled with the module title and
        # anchored at the H1 (where a reader lands).
        ("The basics", "les-bases", ()),
        ("Lawful basis", "lawful-basis", ("Lawful basis",)),
        ("Lawful basis", "consent", ("Lawful basis", "Consent")),
        ("Lawful basis", "lawful-basis-1", ("Lawful basis",)),
    ]
    assert doc.sections[0].text == "Opening words."
    code = doc.sections[2].text
    assert "```python\n# not a heading\n## nor this\nx = 1\n```" in code
    assert code.startswith("Consent must be free.")


def test_book_style_front_matter(tmp_path: Path) -> None:
    md = _write(
        tmp_path / "content" / "ch02-01-loops.md",
        '---\ntitle: "While loops"\nbook: Introduction to Python Programming\nchapter: 2\n'
        'chapter_title: "Loops"\nmodule: m00042\nlicense: CC BY 4.0\n'
        "attribution: Content from OpenStax\n---\n\n# While loops\n\n## Syntax\n\nA while loop repeats.\n",
    )
    (doc,) = load_file(md, root=tmp_path / "content")
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "introduction-to-python-programming",
        "Introduction to Python Programming",
        "m00042",
        "While loops",
    )
    assert doc.metadata == {
        "chapter": 2,
        "chapter_title": "Loops",
        "license": "CC BY 4.0",
        "attribution": "Content from OpenStax",
    }
    assert doc.language is None and doc.skills == [] and doc.modality is None


def test_every_shared_book_file_has_its_level_two_headings_as_sections() -> None:
    content = SHARED_DATA / "python-book" / "content"
    files = sorted(content.glob("*.md"))
    assert len(files) > 50
    for path in files:
        (doc,) = load_file(path, root=content)
        text = path.read_text(encoding="utf-8")
        headings = [" ".join(h.split()) for h in re.findall(r"^## (.+)$", text, flags=re.M)]
        h1 = re.search(r"^# (.+)$", text, flags=re.M)
        assert h1 is not None and doc.module_title == h1.group(1).strip(), path.name
        assert [s.title for s in doc.sections if s.heading_path] == headings, path.name
        assert doc.course_title == "Introduction to Python Programming"
        assert doc.source_path == path.name and doc.module_id.startswith("m")


def test_a_shared_book_module_in_detail() -> None:
    content = SHARED_DATA / "python-book" / "content"
    (doc,) = load_file(content / "ch01-01-background.md", root=content)
    assert doc.course_id == "introduction-to-python-programming"
    assert (doc.module_id, doc.module_title) == ("m00002", "Background")
    assert doc.metadata["chapter_title"] == "Statements" and doc.metadata["chapter"] == 1
    assert doc.metadata["license"] == "CC BY 4.0" and "OpenStax" in doc.metadata["attribution"]
    assert doc.sections[0].anchor == "learning-objectives"


def test_setext_headings_and_inline_markup_in_headings(tmp_path: Path) -> None:
    md = _write(
        tmp_path / "m.md",
        "Forklift basics\n===============\n\nIntro.\n\nPre-use checks\n--------------\n\n"
        "Check the forks.\n\n---\n\n## Using `horn()` in [C#](https://x.org)\n\nBeep.\n\n"
        "## Learn C#\n\nSharp.\n\n~~~\n```\n# still code\n~~~\n\n## Über **Sicherheit**\n\nJa.\n",
    )
    (doc,) = load_file(md, root=tmp_path)
    assert doc.module_title == "Forklift basics"
    assert _outline(doc) == [
        ("Forklift basics", "forklift-basics", ()),
        ("Pre-use checks", "pre-use-checks", ("Pre-use checks",)),
        ("Using horn() in C#", "using-horn-in-c", ("Using horn() in C#",)),
        ("Learn C#", "learn-c", ("Learn C#",)),
        ("Über Sicherheit", "über-sicherheit", ("Über Sicherheit",)),
    ]
    assert "---" not in doc.sections[1].text  # a thematic break is not content
    assert doc.sections[3].text == "Sharp.\n\n~~~\n```\n# still code\n~~~"


def test_without_h1_the_title_comes_from_the_file_name(tmp_path: Path) -> None:
    (doc,) = load_file(_write(tmp_path / "x" / "04-wrap-up.md", "Just text.\n"), root=tmp_path)
    assert doc.module_title == "04-wrap-up"
    assert _outline(doc) == [("04-wrap-up", "04-wrap-up", ())]
    assert (doc.course_id, doc.course_title, doc.module_id) == ("x", "X", "x-04-wrap-up")


def test_bom_crlf_and_utf16_text_load(tmp_path: Path) -> None:
    crlf = "\ufeff# Titre\r\n\r\n## Café\r\n\r\nCrème brûlée.\r\n"
    (doc,) = load_file(_write(tmp_path / "a.md", crlf.encode("utf-8")), root=tmp_path)
    assert (doc.module_title, doc.sections[0].title, doc.sections[0].text) == (
        "Titre",
        "Café",
        "Crème brûlée.",
    )
    utf16 = _write(tmp_path / "b.txt", "Unicode text from Notepad.\n".encode("utf-16"))
    (doc,) = load_file(utf16, root=tmp_path)
    assert doc.sections[0].text == "Unicode text from Notepad."


# --- plain text and the catalog -------------------------------------------------------

CATALOG = """\
organisation: Northwind
courses:
  - id: pm
    title: Project management
    language: en
    modality: e-learning
    skills: [pm.basics]
    prerequisites: [onboarding]
    modules:
      "04-retro.txt": {module_id: pm-04, title: Retrospectives, skills: [pm.retro], duration_minutes: 15}
      "extra/notes.txt": {title: Extra notes}
  - id: safety
    title: Warehouse safety
    language: fr
"""

RETRO = (
    "A retrospective looks back.\n\nWhy hold one\n============\n\nTo learn.\n\n"
    "Details\n-------\n\nSmall ones.\n\n# not a heading in plain text\n\n"
    "Agenda\n======\n\n1. Check in\n2. Data\n"
)


def test_setext_plain_text_with_catalog_metadata(tmp_path: Path) -> None:
    _write(tmp_path / "catalog.yaml", CATALOG)
    txt = _write(tmp_path / "courses" / "pm" / "04-retro.txt", RETRO)
    (doc,) = load_file(txt, root=tmp_path, catalog=find_catalog(tmp_path))
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "pm",
        "Project management",
        "pm-04",
        "Retrospectives",
    )
    # Module entries beat course entries; the course fills in the rest.
    assert (doc.skills, doc.prerequisites, doc.language, doc.modality) == (
        ["pm.retro"],
        ["onboarding"],
        "en",
        "e-learning",
    )
    assert doc.metadata == {"duration_minutes": 15}
    assert _outline(doc) == [
        ("Retrospectives", "retrospectives", ()),
        ("Why hold one", "why-hold-one", ("Why hold one",)),
        ("Why hold one", "details", ("Why hold one", "Details")),
        ("Agenda", "agenda", ("Agenda",)),
    ]
    assert doc.sections[2].text == "Small ones.\n\n# not a heading in plain text"
    assert doc.sections[3].text == "1. Check in\n2. Data"


def test_plain_text_without_headings_is_one_section(tmp_path: Path) -> None:
    txt = _write(tmp_path / "safety" / "notes.txt", "Wear boots.\nAlways.\n\nAnd gloves.\n")
    (doc,) = load_file(txt, root=tmp_path)
    assert _outline(doc) == [("notes", "notes", ())]
    assert doc.sections[0].text == "Wear boots.\nAlways.\n\nAnd gloves."
    assert (doc.course_id, doc.module_id, doc.language) == ("safety", "safety-notes", None)


def test_catalog_lookup_by_folder_path_and_front_matter(tmp_path: Path) -> None:
    _write(tmp_path / "catalog.yml", CATALOG)
    catalog = find_catalog(tmp_path)
    assert catalog is not None and set(catalog.courses) == {"pm", "safety"}
    # A course folder directly under the root, and a module keyed by a nested path.
    (doc,) = load_file(
        _write(tmp_path / "pm" / "extra" / "notes.txt", "Notes.\n"), root=tmp_path, catalog=catalog
    )
    assert (doc.course_id, doc.module_title, doc.module_id) == (
        "pm",
        "Extra notes",
        "pm-extra-notes",
    )
    # The front matter names the course: its folder does not matter, its own fields win.
    md = (
        "---\ncourse_id: safety\ntitle: Ladders\n---\n# Ignored for the title\n\nClimb with care.\n"
    )
    (doc,) = load_file(_write(tmp_path / "misc" / "l.md", md), root=tmp_path, catalog=catalog)
    assert (doc.course_id, doc.course_title, doc.module_title, doc.language) == (
        "safety",
        "Warehouse safety",
        "Ladders",
        "fr",
    )
    # No catalog entry: the folder name, title-cased.
    (doc,) = load_file(
        _write(tmp_path / "courses" / "first_aid" / "cpr.md", "## CPR\n\nPush hard.\n"),
        root=tmp_path,
        catalog=catalog,
    )
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "first-aid",
        "First Aid",
        "courses-first-aid-cpr",
        "cpr",
    )


def test_no_catalog_and_bad_catalogs(tmp_path: Path) -> None:
    assert find_catalog(tmp_path) is None
    _write(tmp_path / "catalog.yaml", "courses:\n  - title: No id here\n")
    with pytest.raises(LoadError, match=r"invalid catalog: course #1 has no id"):
        find_catalog(tmp_path)
    _write(tmp_path / "catalog.yaml", "courses: [\n")
    with pytest.raises(LoadError, match="invalid catalog"):
        find_catalog(tmp_path)


def test_a_file_given_directly_uses_its_folder(tmp_path: Path) -> None:
    txt = _write(tmp_path / "Health_and_Safety" / "ladders.txt", "Three points of contact.\n")
    ((path, root),), errors = discover([txt])
    assert errors == [] and root == txt.parent
    (doc,) = load_file(path, root=root)
    assert (doc.source_path, doc.course_id, doc.course_title, doc.module_id) == (
        "ladders.txt",
        "health-and-safety",
        "Health And Safety",
        "ladders",
    )
    with pytest.raises(LoadError, match="not inside the content root"):
        load_file(txt, root=tmp_path / "elsewhere")


# --- HTML -----------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html lang="en-GB"><head><title>Forklifts and pedestrians</title>
<meta name="course_id" content="safety"><meta name="module_id" content="safety-03">
<meta name="skills" content="safety.vehicles, safety.walkways">
<meta name="prerequisites" content="safety-01">
<meta name="duration_minutes" content="20"><meta name="viewport" content="width=device-width">
<style>p { color: red }</style></head>
<body><header><a href="/">Northwind intranet</a></header><nav>Home | About</nav>
<article><header><h1>Forklifts</h1></header>
<p>Stay  visible<br>at all times.</p><!-- editor's note: remove later -->
<h2>Walkways</h2><p>Use the <em>green</em> lanes.</p><ul><li>Never ride on forks</li><li>Make eye contact</li></ul>
<pre>RULE 1
  keep clear</pre><script>alert("x")</script>
<h3>Crossings</h3><div>Stop and look.<table><tr><th>Zone</th><th>Speed</th></tr><tr><td>Dock</td><td>5 km/h</td></tr></table></div>
<h2>Walkways</h2><p>Repeated heading.</p>
</article><footer>(c) Northwind</footer></body></html>"""


def test_html_meta_tags_sections_and_noise_removed(tmp_path: Path) -> None:
    (doc,) = load_file(_write(tmp_path / "w" / "forklifts.html", HTML), root=tmp_path)
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "safety",
        "Safety",  # the stated course, not the folder, names the course
        "safety-03",
        "Forklifts and pedestrians",
    )
    assert doc.language == "en" and doc.skills == ["safety.vehicles", "safety.walkways"]
    assert doc.prerequisites == ["safety-01"] and doc.metadata == {"duration_minutes": 20}
    assert _outline(doc) == [
        ("Forklifts and pedestrians", "forklifts", ()),
        ("Walkways", "walkways", ("Walkways",)),
        ("Walkways", "crossings", ("Walkways", "Crossings")),
        ("Walkways", "walkways-1", ("Walkways",)),
    ]
    intro, walkways, crossings, _ = (s.text for s in doc.sections)
    assert intro == "Stay visible\nat all times."
    assert walkways == (
        "Use the green lanes.\n\nNever ride on forks\n\nMake eye contact\n\nRULE 1\n  keep clear"
    )
    assert crossings == "Stop and look.\n\nZone | Speed\n\nDock | 5 km/h"
    everything = doc.text
    for noise in ("alert", "color: red", "Northwind", "Home | About", "editor's note"):
        assert noise not in everything


def test_html_title_falls_back_to_h1_then_file_name(tmp_path: Path) -> None:
    (doc,) = load_file(
        _write(tmp_path / "a.htm", "<h1>Heading one</h1><p>Body.</p>"), root=tmp_path
    )
    assert doc.module_title == "Heading one" and doc.sections[0].title == "Heading one"
    (doc,) = load_file(_write(tmp_path / "b.html", "<p>Only a paragraph.</p>"), root=tmp_path)
    assert doc.module_title == "b" and doc.text == "Only a paragraph."


# --- PDF ------------------------------------------------------------------------------


def _pdf(
    path: Path,
    pages: list[list[str]],
    *,
    title: str | None = "Safety handbook",
    outline: list[tuple[int, str, int]] | None = None,
) -> Path:
    """A PDF with these lines per page; ``outline`` is (page index, heading, level)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    if title:
        c.setTitle(title)
    for i, lines in enumerate(pages):
        for j, line in enumerate(lines):
            c.drawString(72, 760 - 20 * j, line)
            for n, (page, heading, level) in enumerate(outline or []):
                if page == i and heading == line:
                    c.bookmarkHorizontal(f"b{n}", 72, 775 - 20 * j)
                    c.addOutlineEntry(heading, f"b{n}", level=level)
        c.showPage()
    c.save()
    return path


def test_pdf_sections_follow_the_outline_even_mid_page(tmp_path: Path) -> None:
    pages = [
        [
            "This handbook applies to every depot.",
            "Lifting",
            "Bend your knees.",
            "Carrying",
            "Keep loads close.",
        ],
        ["More on carrying: use a trolley.", "Reporting", "Report near misses."],
    ]
    outline = [(0, "Lifting", 0), (0, "Carrying", 1), (1, "Reporting", 0)]
    (doc,) = load_file(_pdf(tmp_path / "h.pdf", pages, outline=outline), root=tmp_path)
    assert doc.module_title == "Safety handbook"
    assert _outline(doc) == [
        ("Safety handbook", "safety-handbook", ()),
        ("Lifting", "lifting", ("Lifting",)),
        ("Lifting", "carrying", ("Lifting", "Carrying")),
        ("Reporting", "reporting", ("Reporting",)),
    ]
    texts = [s.text for s in doc.sections]
    assert texts[0] == "This handbook applies to every depot."
    assert texts[1] == "Bend your knees."
    assert texts[2] == "Keep loads close.\n\nMore on carrying: use a trolley."
    assert texts[3] == "Report near misses."


def test_pdf_without_outline_has_a_section_per_page(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "leaflet.pdf", [["First page."], [], ["Third page."]], title=None)
    (doc,) = load_file(pdf, root=tmp_path)
    assert doc.module_title == "leaflet"  # ReportLab's "untitled" is no title
    assert _outline(doc) == [("Page 1", "page-1", ("Page 1",)), ("Page 3", "page-3", ("Page 3",))]
    assert [s.text for s in doc.sections] == ["First page.", "Third page."]


def test_pdf_without_text_layer_or_broken(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"PDF has no text layer \(scanned\?\)"):
        load_file(_pdf(tmp_path / "scan.pdf", [[], []]), root=tmp_path)
    with pytest.raises(LoadError, match="not a readable PDF"):
        load_file(_write(tmp_path / "broken.pdf", b"%PDF-1.4 garbage"), root=tmp_path)


# --- SCORM ----------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_scorm_package(tmp_path: Path, version: str) -> None:
    pkg = build_scorm(tmp_path / "courses" / "forklifts" / "pkg.zip", version=version)
    docs = load_file(pkg, root=tmp_path)
    assert [d.module_title for d in docs] == ["Introduction", "Chapter 1 › Rules of the road"]
    assert [d.module_id for d in docs] == ["forklifts:intro", "forklifts:rules"]
    assert [d.source_path for d in docs] == [
        "courses/forklifts/pkg.zip#content/intro.html",
        "courses/forklifts/pkg.zip#content/ch1/rules.html",
    ]
    assert {(d.course_id, d.course_title) for d in docs} == {("forklifts", "Forklift Safety")}
    assert _outline(docs[1]) == [
        ("Speed limits", "speed-limits", ("Speed limits",)),
        ("Horn", "horn", ("Horn",)),
    ]
    assert docs[1].sections[1].text == "Sound the horn at blind corners."
    assert docs[0].text == "Forklifts weigh several tonnes and stop slowly."
    # The item whose page is not in the zip is reported, not fatal.
    assert all(d.metadata["scorm_skipped"] == ["ghost"] for d in docs)
    data = pkg.read_bytes()
    assert [d.content_hash for d in docs] == [
        hashlib.sha256(data + b"content/intro.html").hexdigest(),
        hashlib.sha256(data + b"content/ch1/rules.html").hexdigest(),
    ]
    assert [d.content_hash for d in load_file(pkg, root=tmp_path)] == [d.content_hash for d in docs]


def test_scorm_in_a_folder_at_the_root_with_a_catalog(tmp_path: Path) -> None:
    pkg = build_scorm(tmp_path / "forklift-v3.zip", version="2004", prefix="export/")
    (intro, rules) = load_file(pkg, root=tmp_path)
    # At the root, the organization names the course.
    assert (intro.course_id, intro.course_title) == ("forklift-safety", "Forklift Safety")
    assert rules.source_path == "forklift-v3.zip#export/content/ch1/rules.html"
    _write(
        tmp_path / "catalog.yaml", "courses:\n  - id: forklift-safety\n    title: Forklifts 101\n"
    )
    docs = load_file(pkg, root=tmp_path, catalog=find_catalog(tmp_path))
    assert {d.course_title for d in docs} == {"Forklifts 101"}


def test_scorm_empty_and_repeated_pages_do_not_sink_the_package(tmp_path: Path) -> None:
    manifest = """<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><organizations>
      <organization identifier="o"><title>Ladders</title>
        <item identifier="a" identifierref="r1"><title>Using ladders</title></item>
        <item identifier="b" identifierref="r2"><title>Blank page</title></item>
        <item identifier="c" identifierref="r1"><title>Using ladders again</title></item>
      </organization></organizations>
      <resources><resource identifier="r1" href="Pages/Ladder%20Use.html"/>
        <resource identifier="r2" href="blank.html"/></resources></manifest>"""
    pkg = write_zip(
        tmp_path / "ladders" / "l.zip",
        {
            "imsmanifest.xml": manifest,
            "pages/ladder use.html": "<p>Three points of contact.</p>",  # case differs
            "blank.html": "<html><body><script>init()</script></body></html>",
        },
    )
    (doc,) = load_file(pkg, root=tmp_path)
    assert (doc.module_id, doc.module_title, doc.text) == (
        "ladders:a",
        "Using ladders",
        "Three points of contact.",
    )
    assert doc.source_path == "ladders/l.zip#Pages/Ladder Use.html"
    assert doc.metadata["scorm_skipped"] == ["b"]


def test_scorm_problems_are_load_errors(tmp_path: Path) -> None:
    cases = {
        "corrupt.zip": (b"PK\x03\x04 not really a zip", "not a valid zip archive"),
        "plain.zip": ({"index.html": "<h1>x</h1>"}, "not a SCORM package: no imsmanifest.xml"),
        "badxml.zip": (
            {"imsmanifest.xml": "<manifest><organizations>"},
            "malformed imsmanifest.xml",
        ),
        "traversal.zip": (
            {"imsmanifest.xml": minimal_manifest("a.html"), "../../etc/evil.html": "<p>x</p>"},
            "unsafe path in archive: '../../etc/evil.html'",
        ),
        "absolute.zip": (
            {"imsmanifest.xml": minimal_manifest("a.html"), "/tmp/evil.html": "<p>x</p>"},
            "unsafe path in archive: '/tmp/evil.html'",
        ),
        "nosco.zip": (
            {"imsmanifest.xml": minimal_manifest("gone.html")},
            "SCORM package has no loadable SCO",
        ),
        "latin1.zip": (
            {
                "imsmanifest.xml": minimal_manifest("a.html"),
                "a.html": "<p>Caf\xe9</p>".encode("latin-1"),
            },
            "a.html: not valid UTF-8 text (byte 0xe9 at offset 6)",
        ),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            write_zip(path, dict(content))
        with pytest.raises(LoadError) as info:
            load_file(path, root=tmp_path)
        assert info.value.path == str(path), name
        assert info.value.reason.startswith(reason), (name, info.value.reason)


def test_scorm_member_over_the_limit_is_never_decompressed(tmp_path: Path) -> None:
    bomb = b"<p>" + b" " * (MAX_FILE_BYTES + 1) + b"</p>"  # deflates to ~50 KB
    pkg = write_zip(
        tmp_path / "bomb.zip", {"imsmanifest.xml": minimal_manifest("a.html"), "a.html": bomb}
    )
    assert pkg.stat().st_size < 1024 * 1024
    with pytest.raises(LoadError, match=r"'a\.html' is 50\.0 MB, over the 50 MB limit"):
        load_file(pkg, root=tmp_path)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "latin1.md",
            "## Caf\xe9\n\ncr\xe8me".encode("latin-1"),
            "not valid UTF-8 text (byte 0xe9 at offset 6)",
        ),
        (
            "latin1.html",
            "<p>\xe0 bient\xf4t</p>".encode("latin-1"),
            "not valid UTF-8 text (byte 0xe0 at offset 3)",
        ),
        (
            "empty.md",
            b"---\ntitle: x\n---\n\n# Only a title\n\n## And an empty section\n",
            "document is empty",
        ),
        ("blank.txt", b"   \n\n\t\n", "document is empty"),
        ("zero.md", b"", "document is empty"),
        ("chrome.html", b"<nav>Menu</nav><script>x()</script><h1>T</h1>", "document is empty"),
        ("front.md", b"---\ntitle: [unclosed\n---\n## A\n\nb\n", "invalid front matter: "),
        ("list.md", b"---\n- a\n- b\n---\n## A\n\nb\n", "invalid front matter: expected"),
        ("notes.docx", b"PK", "unsupported file type '.docx'"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = _write(tmp_path / name, data)
    with pytest.raises(LoadError) as info:
        load_file(path, root=tmp_path)
    assert info.value.reason.startswith(reason) and info.value.path == str(path)
    assert str(info.value) == f"{path}: {info.value.reason}"


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.md"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: instant, no disk used
    with pytest.raises(LoadError) as info:
        load_file(big, root=tmp_path)
    assert info.value.reason == "file is 200.0 MB, over the 50 MB limit"


def test_missing_and_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file or directory"):
        load_file(tmp_path / "gone.md", root=tmp_path)
    (tmp_path / "folder.md").mkdir()
    with pytest.raises(LoadError, match="is a directory"):
        load_file(tmp_path / "folder.md", root=tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_permission_denied(tmp_path: Path) -> None:
    locked = _write(tmp_path / "locked.md", "## A\n\nb\n")
    locked.chmod(0)
    try:
        with pytest.raises(LoadError, match="permission denied"):
            load_file(locked, root=tmp_path)
    finally:
        locked.chmod(0o644)


# --- discover -------------------------------------------------------------------------


def test_discover_walks_trees_and_reports_bad_paths(tmp_path: Path) -> None:
    tree = tmp_path / "c"
    for rel in (
        "b.md",
        "a/z.txt",
        "a/sub/y.html",
        "a/README.md",  # only the root's README is about the tree itself
        "pkg.zip",
        "guide.PDF",
        "README.md",
        "catalog.yaml",
        "a/catalog.yml",
        ".draft.md",
        ".git/x.md",
        "a/.cache/y.md",
        "notes.docx",
        "a/image.png",
    ):
        _write(tree / rel, "## A\n\ntext\n")
    one = _write(tmp_path / "one.docx", "binary")
    found, errors = discover([tree, one, tmp_path / "missing", tree / "b.md"])
    assert [(p.relative_to(tree).as_posix(), root) for p, root in found] == [
        ("a/README.md", tree),
        ("a/sub/y.html", tree),
        ("a/z.txt", tree),
        ("b.md", tree),
        ("guide.PDF", tree),
        ("pkg.zip", tree),
    ]  # b.md named again is not listed twice
    assert [(Path(e.path).name, e.reason) for e in errors] == [
        ("one.docx", "unsupported file type '.docx'"),
        ("missing", "no such file or directory"),
    ]
