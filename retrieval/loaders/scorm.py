"""SCORM 1.2 / 2004 packages: the manifest's organization and the HTML of each SCO.

Manifests come with many namespace spellings, so elements are matched on local names.
Archives are untrusted: members with absolute or '..' paths refuse the whole package,
and nothing larger than :data:`MAX_FILE_BYTES` is ever decompressed.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from retrieval.loaders.common import MAX_FILE_BYTES, LoadError, decode_text, size_error

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# All the SCO pages of one package together; a small zip claiming more is a bomb.
MAX_PACKAGE_TEXT_BYTES = 4 * MAX_FILE_BYTES


@dataclass(frozen=True, slots=True)
class Sco:
    """One launchable item: identifier, title (with its parents'), member path, HTML."""

    identifier: str
    title: str
    href: str
    html: str


@dataclass(slots=True)
class Package:
    """The organization's title, the SCOs that loaded, and the items that did not."""

    title: str
    scos: list[Sco] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _title(el: ET.Element) -> str:
    node = next(iter(_children(el, "title")), None)
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _member_name(raw: str) -> str | None:
    """The normalised member path, or None if it could land outside the extraction dir."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in name.split("/"):
        return None
    return posixpath.normpath(name)


class _Archive:
    """Safe, size-bounded reads from a zip held in memory."""

    def __init__(self, data: bytes, path: str) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except NotImplementedError as err:  # e.g. a format version zipfile cannot read
            raise LoadError(path, f"unsupported zip archive ({err})") from err
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
            raise LoadError(path, "not a valid zip archive") from err
        self.members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = _member_name(info.filename)
            if name is None:
                raise LoadError(path, f"unsafe path in archive: {info.filename!r}")
            if not info.is_dir():
                self.members[name] = info
        # Packages made on Windows often disagree with their manifest about case.
        self._folded = {name.lower(): info for name, info in self.members.items()}

    def find(self, name: str) -> zipfile.ZipInfo | None:
        return self.members.get(name) or self._folded.get(name.lower())

    def read(self, info: zipfile.ZipInfo) -> bytes:
        if info.file_size > MAX_FILE_BYTES:
            raise size_error(self.path, info.file_size, info.filename)
        try:
            with self.zip.open(info) as fh:
                data = fh.read(MAX_FILE_BYTES + 1)  # the header's size may lie
        except (RuntimeError, NotImplementedError) as err:  # encrypted, exotic compression
            raise LoadError(self.path, f"cannot read {info.filename!r} ({err})") from err
        except (zipfile.BadZipFile, ValueError, EOFError, OSError, zlib.error) as err:
            raise LoadError(self.path, f"corrupt member {info.filename!r} ({err})") from err
        if len(data) > MAX_FILE_BYTES:
            raise size_error(self.path, len(data), info.filename)
        return data


def _resources(manifest: ET.Element, base_dir: str) -> dict[str, str]:
    """Resource identifier -> member path of its launch file, xml:base applied."""
    found: dict[str, str] = {}
    for group in _children(manifest, "resources"):
        for res in _children(group, "resource"):
            ident, href = res.get("identifier"), res.get("href")
            if not ident or not href:
                continue
            href = unquote(re.split(r"[?#]", href, maxsplit=1)[0])
            bases = (manifest.get(_XML_BASE), group.get(_XML_BASE), res.get(_XML_BASE))
            found[ident] = posixpath.normpath(
                posixpath.join(base_dir, *(unquote(b) for b in bases if b), href)
            )
    return found


def read_package(data: bytes, path: str) -> Package:
    """The package's organization and SCOs; raises :class:`LoadError` if none can be loaded."""
    archive = _Archive(data, path)
    with archive.zip:
        manifests = [
            n for n in archive.members if posixpath.basename(n).lower() == "imsmanifest.xml"
        ]
        if not manifests:
            raise LoadError(path, "not a SCORM package: no imsmanifest.xml")
        # Zipping a folder puts everything one level down; the shallowest manifest rules.
        name = min(manifests, key=lambda n: (n.count("/"), n))
        try:
            # Expat refuses external entities and (since 2.4) entity-expansion bombs.
            manifest = ET.fromstring(archive.read(archive.members[name]))
        except ET.ParseError as err:
            raise LoadError(path, f"malformed imsmanifest.xml ({err})") from err
        if _local(manifest.tag) != "manifest":
            raise LoadError(path, f"malformed imsmanifest.xml (root is <{_local(manifest.tag)}>)")

        resources = _resources(manifest, posixpath.dirname(name))
        orgs = [
            o
            for group in _children(manifest, "organizations")
            for o in group
            if _local(o.tag) == "organization"
        ]
        default = next((g.get("default") for g in _children(manifest, "organizations")), None)
        org = next((o for o in orgs if o.get("identifier") == default), orgs[0] if orgs else None)
        package = Package(title=_title(org) if org is not None else "")
        loaded: set[str] = set()
        budget = MAX_PACKAGE_TEXT_BYTES
        # Depth-first in document order, without recursion: manifests are untrusted.
        todo: list[tuple[ET.Element, tuple[str, ...]]] = [
            (item, ()) for item in reversed(_children(org, "item") if org is not None else [])
        ]
        while todo:
            item, parents = todo.pop()
            ident = item.get("identifier", "")
            title = _title(item) or ident
            todo.extend((child, (*parents, title)) for child in reversed(_children(item, "item")))
            ref = item.get("identifierref")
            if not ref:
                continue
            href = resources.get(ref)
            member = archive.find(href) if href else None
            if href is None or member is None:
                package.skipped.append(ident or ref)
                continue
            if href in loaded:  # two items launching one page: one document
                continue
            raw = archive.read(member)
            budget -= len(raw)
            if budget < 0:
                raise LoadError(path, "SCORM package expands to too much HTML (zip bomb?)")
            try:
                html = decode_text(raw, path)
            except LoadError as err:
                raise LoadError(path, f"{href}: {err.reason}") from err
            loaded.add(href)
            package.scos.append(Sco(ident or ref, " › ".join((*parents, title)), href, html))
    if not package.scos:
        raise LoadError(path, "SCORM package has no loadable SCO")
    return package
