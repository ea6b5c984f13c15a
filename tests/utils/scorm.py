"""Builds real SCORM 1.2 and 2004 zip packages (and hostile zips) for tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

# The namespaces real authoring tools write; loaders must not depend on the prefixes.
NS_12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
)
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def page(title: str, sections: dict[str, str], *, xhtml: bool = False) -> str:
    """A SCO page: <title>, an <h1>, one <h2> per section, and a script to be dropped."""
    body = "".join(f"<h2>{h}</h2><p>{t}</p>" for h, t in sections.items())
    head = f"<head><title>{title}</title><script>var x = 1;</script></head>"
    if xhtml:  # what many authoring tools export, XML declaration included
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">'
            f"{head}<body><h1>{title}</h1>{body}</body></html>"
        )
    return f"<html>{head}<body><h1>{title}</h1>{body}</body></html>"


def build_scorm(
    path: Path,
    *,
    version: str = "1.2",
    course_title: str = "Forklift Safety",
    prefix: str = "",
) -> Path:
    """A package with two SCOs, one nested under a chapter item, resources under xml:base.

    A third item points at a page the zip lacks. ``prefix`` puts everything in a folder,
    as zipping a directory does.
    """
    ns = NS_12 if version == "1.2" else NS_2004
    schema = "ADL SCORM" if version == "1.2" else "ADL SCORM 2004 4th Edition"
    sco = 'adlcp:scormtype="sco"' if version == "1.2" else 'adlcp:scormType="sco"'
    sequencing = (
        ""
        if version == "1.2"
        else '<imsss:sequencing><imsss:controlMode flow="true"/></imsss:sequencing>'
    )
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="pkg" version="1" {ns}>
  <metadata><schema>{schema}</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org0"><title>Not the default</title></organization>
    <organization identifier="org1">
      <title>{course_title}</title>
      <item identifier="intro" identifierref="res-intro"><title>Introduction</title></item>
      <item identifier="chapter1">
        <title>Chapter 1</title>
        <item identifier="rules" identifierref="res-rules"><title>Rules of the road</title></item>
      </item>
      <item identifier="ghost" identifierref="res-missing"><title>Missing page</title></item>
      {sequencing}
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="res-intro" type="webcontent" {sco} href="intro.html"><file href="intro.html"/></resource>
    <resource identifier="res-rules" type="webcontent" {sco} xml:base="ch1/" href="rules.html?lang=en#top"><file href="rules.html"/></resource>
    <resource identifier="res-missing" type="webcontent" {sco} href="nowhere.html"/>
  </resources>
</manifest>"""
    intro = page(
        "Introduction",
        {"Why it matters": "Forklifts weigh several tonnes and stop slowly."},
        xhtml=version != "1.2",
    )
    rules = page(
        "Rules of the road",
        {
            "Speed limits": "Drive at walking pace inside the warehouse.",
            "Horn": "Sound the horn at blind corners.",
        },
    )
    return write_zip(
        path,
        {
            f"{prefix}imsmanifest.xml": manifest,
            f"{prefix}content/intro.html": intro,
            f"{prefix}content/ch1/rules.html": rules,
        },
    )


def write_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    """A deflated zip with exactly these member names (unsafe ones included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def minimal_manifest(href: str) -> str:
    """A one-SCO SCORM 1.2 manifest launching ``href``."""
    return f"""<manifest identifier="m" {NS_12}>
  <organizations default="o"><organization identifier="o"><title>Tiny</title>
    <item identifier="only" identifierref="r"><title>Only page</title></item>
  </organization></organizations>
  <resources><resource identifier="r" type="webcontent" href="{href}"/></resources>
</manifest>"""
