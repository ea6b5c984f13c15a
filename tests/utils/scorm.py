"""Builds real SCORM 1.2 and 2004 zip packages for tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS_12 = (
    'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'
)
NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)


def page(title: str, sections: dict[str, str]) -> str:
    body = "".join(f"<h2>{h}</h2><p>{t}</p>" for h, t in sections.items())
    return f"<html><head><title>{title}</title><script>var x = 1;</script></head><body><h1>{title}</h1>{body}</body></html>"


def build_scorm(path: Path, *, version: str = "1.2", course_title: str = "Forklift Safety") -> Path:
    """A package with two SCOs, one nested under a chapter item, resources under xml:base."""
    ns = NS_12 if version == "1.2" else NS_2004
    schema = "ADL SCORM" if version == "1.2" else "ADL SCORM 2004 4th Edition"
    sco_attr = 'adlcp:scormtype="sco"' if version == "1.2" else 'adlcp:scormType="sco"'
    manifest = f"""<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="pkg" version="1" {ns}>
  <metadata><schema>{schema}</schema><schemaversion>{version}</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>{course_title}</title>
      <item identifier="intro" identifierref="res-intro"><title>Introduction</title></item>
      <item identifier="chapter1">
        <title>Chapter 1</title>
        <item identifier="rules" identifierref="res-rules"><title>Rules of the road</title></item>
      </item>
      <item identifier="ghost" identifierref="res-missing"><title>Missing page</title></item>
    </organization>
  </organizations>
  <resources xml:base="content/">
    <resource identifier="res-intro" type="webcontent" {sco_attr} href="intro.html"><file href="intro.html"/></resource>
    <resource identifier="res-rules" type="webcontent" {sco_attr} xml:base="ch1/" href="rules.html?x=1"><file href="rules.html"/></resource>
    <resource identifier="res-missing" type="webcontent" {sco_attr} href="nowhere.html"/>
  </resources>
</manifest>"""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("imsmanifest.xml", manifest)
        zf.writestr(
            "content/intro.html",
            page(
                "Introduction",
                {"Why it matters": "Forklifts weigh several tonnes and stop slowly."},
            ),
        )
        zf.writestr(
            "content/ch1/rules.html",
            page(
                "Rules of the road",
                {
                    "Speed limits": "Drive at walking pace inside the warehouse.",
                    "Horn": "Sound the horn at blind corners.",
                },
            ),
        )
    return path
