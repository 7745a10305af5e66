"""The text inside an uploaded file, for search: PDF (pypdf), Word, Excel and PowerPoint
(OOXML), OpenDocument text, spreadsheets and presentations (their XML parts, read with the
standard library), Markdown, plain text and CSV. Images have no text.

Extraction never fails an upload: an unreadable file gives what could be read (or nothing).
ZIP members are read only up to :data:`MAX_PART_BYTES` uncompressed (no zip bombs), and the
text is cut at :data:`MAX_TEXT_CHARS`."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

from pypdf import PdfReader

from tandem.core.uploads import extension

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 500_000
MAX_PART_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 1000
# Characters that are not text: control characters (tab and line breaks kept). The search
# snippets use two of them as highlight markers, so stored text must never contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_LINES = re.compile(r"\n\s*\n+")
_DIGITS = re.compile(r"(\d+)")


def clean(text: str) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINES.sub("\n\n", _SPACES.sub(" ", text))
    return text.strip()[:MAX_TEXT_CHARS]


def extract_text(data: bytes | io.IOBase, name: str) -> str:
    """The text of the file ``data`` (bytes or a binary file) named ``name`` (its extension
    says the type, already checked by content)."""
    raw = data if isinstance(data, bytes) else data.read()
    ext = extension(name)
    try:
        if ext == "pdf":
            text = _pdf(raw)
        elif ext in ("docx", "xlsx", "pptx"):
            text = _ooxml(raw, ext)
        elif ext in ("odt", "ods", "odp"):
            text = _odf(raw)
        elif ext in ("md", "txt", "csv"):
            text = raw.decode("utf-8", errors="replace")
        else:
            text = ""
    except Exception:  # a damaged file is still shared, just not searchable inside
        log.warning("could not extract the text of %s", name, exc_info=True)
        text = ""
    return clean(text)


def _pdf(raw: bytes) -> str:
    reader = PdfReader(io.BytesIO(raw))
    parts, size = [], 0
    for page in reader.pages[:MAX_PDF_PAGES]:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size > MAX_TEXT_CHARS:
            break
    return "\n\n".join(parts)


_OOXML_PARTS = {
    "docx": re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml"),
    "xlsx": re.compile(r"xl/sharedStrings\.xml"),
    "pptx": re.compile(r"ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"),
}


def _ooxml_text(xml: bytes) -> str:
    """The text runs (``w:t``, ``a:t``, a shared string's ``t``) of an OOXML part, a line break
    after each paragraph. The standard library's expat refuses entity-expansion bombs and never
    fetches an external entity."""
    parts: list[str] = []
    for _event, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        local = element.tag.rsplit("}", 1)[-1]
        if local == "t" and element.text:
            parts.append(element.text)
        elif local in ("p", "si", "tr"):
            parts.append("\n")
        elif local in ("tab", "br"):
            parts.append(" ")
        element.clear()
    return "".join(parts)


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    if info.file_size > MAX_PART_BYTES:
        return None
    return archive.read(info)


def _ooxml(raw: bytes, ext: str) -> str:
    pattern = _OOXML_PARTS[ext]
    texts = []
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos = [i for i in archive.infolist() if pattern.fullmatch(i.filename)]
        infos.sort(key=lambda i: [int(n) if n.isdigit() else n for n in _DIGITS.split(i.filename)])
        for info in infos:
            xml = _read_part(archive, info)
            if xml:
                texts.append(_ooxml_text(xml))
    return "\n".join(texts)


def _odf(raw: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        try:
            info = archive.getinfo("content.xml")
        except KeyError:
            return ""
        xml = _read_part(archive, info)
    return _odf_text(xml) if xml else ""


def _odf_text(xml: bytes) -> str:
    """OpenDocument text: paragraphs and headings with their spans, in document order."""
    root = ElementTree.fromstring(xml)
    lines = []
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("p", "h"):
            lines.append("".join(element.itertext()))
    return "\n".join(lines)
