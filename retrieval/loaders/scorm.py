"""SCORM 1.2 / 2004 packages: the manifest's organisation and the HTML of each SCO."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from retrieval.loaders.common import MAX_FILE_BYTES, LoadError, decode_text

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"


@dataclass(frozen=True, slots=True)
class Sco:
    """One launchable item: its identifier, title (with parents) and HTML."""

    identifier: str
    title: str
    href: str
    html: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in el if _local(c.tag) == name), None)


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _title(el: ET.Element) -> str:
    node = _child(el, "title")
    return " ".join((node.text or "").split()) if node is not None else ""


def _safe_member(name: str) -> str:
    norm = posixpath.normpath(name.replace("\\", "/"))
    if norm.startswith(("/", "../")) or norm == ".." or ":" in norm.split("/")[0]:
        raise ValueError(name)
    return norm


def read_package(data: bytes, path: str) -> tuple[str, list[Sco], list[str]]:
    """Organisation title, loadable SCOs, and the items that could not be loaded."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise LoadError(path, "not a valid zip archive") from err
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        for info in archive.infolist():
            try:
                members[_safe_member(info.filename)] = info
            except ValueError as err:
                raise LoadError(path, f"unsafe path in archive: {info.filename!r}") from err
        manifest_name = next((n for n in members if n.lower() == "imsmanifest.xml"), None)
        if manifest_name is None:
            raise LoadError(path, "not a SCORM package: no imsmanifest.xml")
        try:
            root = ET.fromstring(archive.read(members[manifest_name]))
        except ET.ParseError as err:
            raise LoadError(path, f"malformed imsmanifest.xml ({err})") from err

        resources: dict[str, str] = {}
        res_parent = _child(root, "resources")
        base = (res_parent.get(_XML_BASE, "") if res_parent is not None else "") or ""
        for res in _children(res_parent, "resource") if res_parent is not None else []:
            href = res.get("href")
            if res.get("identifier") and href:
                resources[res.get("identifier", "")] = posixpath.join(
                    base, res.get(_XML_BASE, "") or "", href.split("#")[0].split("?")[0]
                )

        orgs = _child(root, "organizations")
        if orgs is None or not _children(orgs, "organization"):
            raise LoadError(path, "imsmanifest.xml has no organization")
        default = orgs.get("default")
        org = next(
            (o for o in _children(orgs, "organization") if o.get("identifier") == default),
            _children(orgs, "organization")[0],
        )
        scos: list[Sco] = []
        missing: list[str] = []

        def visit(item: ET.Element, parents: tuple[str, ...]) -> None:
            title = _title(item) or item.get("identifier", "")
            ref = item.get("identifierref")
            if ref:
                href = resources.get(ref)
                member = members.get(posixpath.normpath(href)) if href else None
                if member is None or href is None:
                    missing.append(item.get("identifier", ref))
                elif member.file_size > MAX_FILE_BYTES:
                    raise LoadError(path, f"{href} is over the {MAX_FILE_BYTES // 2**20} MB limit")
                else:
                    html = decode_text(archive.read(member), f"{path}#{href}")
                    scos.append(
                        Sco(item.get("identifier", ref), " › ".join((*parents, title)), href, html)
                    )
            for child in _children(item, "item"):
                visit(child, (*parents, title) if not ref else parents)

        for item in _children(org, "item"):
            visit(item, ())
    if not scos:
        raise LoadError(path, "SCORM package has no loadable SCO")
    return _title(org), scos, missing
