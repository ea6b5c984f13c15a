"""Loaders turn real files into sections with the right metadata, or say clearly why not."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from retrieval.loaders import LoadError, discover, find_catalog, load_file
from tests.conftest import SHARED_DATA
from tests.utils.scorm import build_scorm


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_demo_style_markdown(tmp_path: Path) -> None:
    md = _write(
        tmp_path / "courses" / "gdpr" / "01-basics.md",
        "---\ncourse_id: gdpr\ncourse_title: GDPR basics\nmodule_id: gdpr-01\ntitle: The basics\n"
        "language: fr\nskills: [privacy.basics, privacy.rights]\nprerequisites: onboarding, security\n"
        "duration_minutes: 20\n---\n# The basics\n\nOpening words.\n\n## Lawful basis\n\nSix bases exist.\n\n"
        "### Consent\n\nConsent must be free.\n\n```python\n# not a heading\nx = 1\n```\n\n## Lawful basis\n\nAgain.\n",
    )
    (doc,) = load_file(md, root=tmp_path)
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "gdpr",
        "GDPR basics",
        "gdpr-01",
        "The basics",
    )
    assert doc.language == "fr" and doc.skills == ["privacy.basics", "privacy.rights"]
    assert (
        doc.prerequisites == ["onboarding", "security"] and doc.metadata["duration_minutes"] == 20
    )
    assert [(s.title, s.anchor, s.heading_path) for s in doc.sections] == [
        ("The basics", "the-basics", ()),
        ("Lawful basis", "lawful-basis", ("Lawful basis",)),
        ("Lawful basis", "consent", ("Lawful basis", "Consent")),
        ("Lawful basis", "lawful-basis-1", ("Lawful basis",)),
    ]
    assert "# not a heading" in doc.sections[2].text and "x = 1" in doc.sections[2].text
    assert doc.source_path == "courses/gdpr/01-basics.md" and len(doc.content_hash) == 64


def test_book_style_markdown_from_the_shared_data() -> None:
    content = SHARED_DATA / "python-book" / "content"
    path = content / "ch01-01-background.md"
    (doc,) = load_file(path, root=content)
    headings = re.findall(r"^## (.+)$", path.read_text(encoding="utf-8"), flags=re.M)
    assert [s.title for s in doc.sections] == headings
    assert doc.course_title == "Introduction to Python Programming"
    assert doc.course_id == "introduction-to-python-programming"
    assert doc.module_id == "m00002" and doc.module_title == "Background"
    assert doc.metadata["chapter_title"] == "Statements" and "license" in doc.metadata


def test_setext_plain_text_with_catalog_metadata(tmp_path: Path) -> None:
    _write(
        tmp_path / "catalog.yaml",
        "courses:\n  - id: pm\n    title: Project management\n    language: en\n    skills: [pm.basics]\n"
        "    modules:\n      retro.txt: {module_id: pm-04, title: Retrospectives, skills: [pm.retro]}\n",
    )
    txt = _write(
        tmp_path / "courses" / "pm" / "retro.txt",
        "A retrospective looks back.\n\nWhy hold one\n============\n\nTo learn.\n\nDetails\n-------\n\nSmall ones.\n",
    )
    (doc,) = load_file(txt, root=tmp_path, catalog=find_catalog(tmp_path))
    assert (doc.course_id, doc.course_title, doc.module_id, doc.module_title) == (
        "pm",
        "Project management",
        "pm-04",
        "Retrospectives",
    )
    assert doc.skills == ["pm.retro"] and doc.language == "en"
    assert [(s.title, s.heading_path) for s in doc.sections] == [
        ("Retrospectives", ()),
        ("Why hold one", ("Why hold one",)),
        ("Why hold one", ("Why hold one", "Details")),
    ]


def test_html_meta_tags_and_noise_removed(tmp_path: Path) -> None:
    html = _write(
        tmp_path / "safety" / "forklifts.html",
        '<html lang="en"><head><title>Site | Forklifts</title><meta name="course_id" content="safety">'
        '<meta name="skills" content="safety.vehicles, safety.walkways"><style>p{}</style></head><body>'
        "<nav>Home | About</nav><h1>Forklifts</h1><p>Stay visible.</p><h2>Walkways</h2><p>Use the green lanes.</p>"
        "<ul><li>Never ride on forks</li></ul><pre>RULE 1\n  keep clear</pre><script>alert(1)</script>"
        "<h3>Crossings</h3><div>Stop and look.</div><footer>(c) Northwind</footer></body></html>",
    )
    (doc,) = load_file(html, root=tmp_path)
    assert doc.course_id == "safety" and doc.module_title == "Forklifts" and doc.language == "en"
    assert doc.skills == ["safety.vehicles", "safety.walkways"]
    assert [s.title for s in doc.sections] == ["Forklifts", "Walkways", "Walkways"]
    text = " ".join(s.text for s in doc.sections)
    assert (
        "Never ride on forks" in text
        and "RULE 1\n  keep clear" in text
        and "Stop and look." in text
    )
    assert "alert" not in text and "Home | About" not in text and "Northwind" not in text


def _pdf(path: Path, pages: list[str], outline: list[str] | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle("Safety handbook")
    for i, text in enumerate(pages):
        if text:
            c.drawString(72, 700, text)
        if outline and i < len(outline):
            c.bookmarkPage(f"p{i}")
            c.addOutlineEntry(outline[i], f"p{i}", level=0)
        c.showPage()
    c.save()
    return path


def test_pdf_sections_from_outline_or_pages(tmp_path: Path) -> None:
    with_outline = _pdf(
        tmp_path / "a.pdf",
        ["Lift with your legs.", "Report near misses."],
        ["Lifting", "Reporting"],
    )
    (doc,) = load_file(with_outline, root=tmp_path)
    assert doc.module_title == "Safety handbook"
    assert [(s.title, s.anchor) for s in doc.sections] == [
        ("Lifting", "lifting"),
        ("Reporting", "reporting"),
    ]
    assert "Lift with your legs." in doc.sections[0].text
    plain = _pdf(tmp_path / "b.pdf", ["First page.", "", "Third page."])
    (doc,) = load_file(plain, root=tmp_path)
    assert [s.title for s in doc.sections] == ["Page 1", "Page 3"]


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
    assert {d.course_title for d in docs} == {"Forklift Safety"}
    assert [s.title for s in docs[1].sections] == ["Speed limits", "Horn"]
    assert "walking pace" in docs[1].sections[0].text and "var x" not in docs[0].text
    assert docs[0].content_hash != docs[1].content_hash


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bad.zip", b"PK\x03\x04 not really", "not a valid zip archive"),
        (
            "latin1.md",
            "## Caf\xe9\n\ncr\xe8me".encode("latin-1"),
            "not valid UTF-8 text (byte 0xe9 at offset 6)",
        ),
        ("empty.md", b"---\ntitle: x\n---\n\n# Only a title\n", "document is empty"),
        ("blank.txt", b"   \n\n", "document is empty"),
        ("front.md", b"---\ntitle: [unclosed\n---\n## A\n\nb\n", "invalid front matter"),
        ("broken.pdf", b"%PDF-1.4 garbage", "not a readable PDF"),
    ],
)
def test_bad_files_raise_clear_errors(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(LoadError) as info:
        load_file(path, root=tmp_path)
    assert reason in info.value.reason and info.value.path == str(path)


def test_zip_problems(tmp_path: Path) -> None:
    no_manifest = tmp_path / "plain.zip"
    with zipfile.ZipFile(no_manifest, "w") as zf:
        zf.writestr("index.html", "<h1>x</h1>")
    with pytest.raises(LoadError, match=r"no imsmanifest\.xml"):
        load_file(no_manifest, root=tmp_path)
    traversal = tmp_path / "evil.zip"
    with zipfile.ZipFile(traversal, "w") as zf:
        zf.writestr("../../etc/passwd", "root")
        zf.writestr("imsmanifest.xml", "<manifest/>")
    with pytest.raises(LoadError, match="unsafe path"):
        load_file(traversal, root=tmp_path)
    bad_xml = tmp_path / "badxml.zip"
    with zipfile.ZipFile(bad_xml, "w") as zf:
        zf.writestr("imsmanifest.xml", "<manifest><organizations>")
    with pytest.raises(LoadError, match=r"malformed imsmanifest\.xml"):
        load_file(bad_xml, root=tmp_path)


def test_blank_pdf_has_no_text_layer(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no text layer"):
        load_file(_pdf(tmp_path / "scan.pdf", ["", ""]), root=tmp_path)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "huge.md"
    with big.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: instant, no disk used
    with pytest.raises(LoadError, match=r"200\.0 MB, over the 50 MB limit"):
        load_file(big, root=tmp_path)


def test_discover_walks_trees_and_reports_bad_paths(tmp_path: Path) -> None:
    _write(tmp_path / "c" / "a.md", "## A\n\ntext")
    _write(tmp_path / "c" / "sub" / "b.html", "<h2>B</h2><p>text</p>")
    _write(tmp_path / "c" / ".hidden" / "x.md", "## X\n\ntext")
    _write(tmp_path / "c" / ".draft.md", "## X\n\ntext")
    _write(tmp_path / "c" / "notes.docx", "binary")
    _write(tmp_path / "c" / "catalog.yaml", "courses: []")
    _write(tmp_path / "c" / "README.md", "# About")
    _write(tmp_path / "one.docx", "binary")
    found, errors = discover([tmp_path / "c", tmp_path / "one.docx", tmp_path / "missing"])
    assert [p.relative_to(tmp_path).as_posix() for p, _ in found] == ["c/a.md", "c/sub/b.html"]
    assert [(Path(e.path).name, e.reason) for e in errors] == [
        ("one.docx", "unsupported file type '.docx'"),
        ("missing", "no such file or directory"),
    ]
