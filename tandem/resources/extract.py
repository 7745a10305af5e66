"""The text inside an uploaded file, for search: PDF (pypdf), Word, Excel and PowerPoint
(OOXML), OpenDocument text, spreadsheets and presentations (their XML parts, read with the
standard library), Markdown, plain text and CSV. Images have no text.

Extraction never fails an upload: an unreadable file gives what could be read (or nothing).
Its work is bounded by :class:`Limits`: a deadline (checked between pages and parts, and every
few hundred PDF operators or XML elements), a budget of decompressed bytes read from the whole
file (all ZIP members and PDF content streams together, read in chunks: no zip bombs; an XML
part nesting more than :data:`MAX_XML_DEPTH` elements stops there), a page cap and a cap on
one page's content stream (larger ones are skipped before parsing). The text
is cut at :data:`MAX_TEXT_CHARS`, and reading stops there. :func:`extract` says whether the
whole file was read (``complete``) and whether the deadline stopped it (``timed_out``)."""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from xml.etree import ElementTree

from pypdf import PdfReader, apply_configuration

from tandem.core.uploads import ZIP_METHODS, extension

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 500_000
CHUNK_BYTES = 16 * 1024
MAX_XML_DEPTH = 256  # elements open at once in an XML part (real documents: a few dozen)
# Characters that are not text: control characters (tab and line breaks kept). The search
# snippets use two of them as highlight markers, so stored text must never contain them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_LINES = re.compile(r"\n\s*\n+")
_DIGITS = re.compile(r"(\d+)")


@dataclasses.dataclass(frozen=True)
class Limits:
    """How much work reading one file may take (the settings ``TANDEM_RESOURCE_EXTRACT_*``)."""

    seconds: float = 60.0
    max_bytes: int = 64 * 1024 * 1024  # decompressed bytes read, all parts and pages together
    max_pages: int = 1000
    max_page_bytes: int = 1024 * 1024  # one PDF page's decoded content stream


@dataclasses.dataclass(frozen=True)
class Extraction:
    text: str
    complete: bool = True  # the whole file was read (or its text reached MAX_TEXT_CHARS)
    timed_out: bool = False  # the deadline stopped it


class OutOfBudget(Exception):
    def __init__(self, timed_out: bool):
        super().__init__("out of time" if timed_out else "out of budget")
        self.timed_out = timed_out


class _Budget:
    def __init__(self, limits: Limits, clock: Callable[[], float] = time.monotonic):
        self.limits, self.clock = limits, clock
        self.deadline = clock() + limits.seconds
        self.bytes_left = limits.max_bytes

    def check_time(self) -> None:
        if self.clock() > self.deadline:
            raise OutOfBudget(timed_out=True)

    def take(self, size: int) -> None:
        self.bytes_left -= size
        if self.bytes_left < 0:
            raise OutOfBudget(timed_out=False)
        self.check_time()


class _Text:
    """The text read so far (kept when the budget runs out)."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0
        self.skipped = False  # a part or page was left out

    def add(self, text: str) -> None:
        if text.isspace() and self.parts and self.parts[-1].isspace():
            return  # empty paragraphs are not text (the limit counts what is kept)
        self.parts.append(text)
        self.size += len(text)

    @property
    def full(self) -> bool:
        return self.size > MAX_TEXT_CHARS


def clean(text: str) -> str:
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _LINES.sub("\n\n", _SPACES.sub(" ", text))
    return text.strip()[:MAX_TEXT_CHARS]


def extract_text(data: bytes | io.IOBase, name: str, limits: Limits | None = None) -> str:
    """The text of the file ``data`` (bytes or a binary file) named ``name``."""
    return extract(data, name, limits).text


def extract(data: bytes | io.IOBase, name: str, limits: Limits | None = None) -> Extraction:
    """The text of the file ``data`` (bytes or a binary file) named ``name`` (its extension
    says the type, already checked by content), read within ``limits``."""
    budget = _Budget(limits or Limits())
    text = _Text()
    raw = data if isinstance(data, bytes) else data.read()
    ext = extension(name)
    complete, timed_out = True, False
    try:
        if ext == "pdf":
            _pdf(raw, text, budget)
        elif ext in ("docx", "xlsx", "pptx"):
            _ooxml(raw, ext, text, budget)
        elif ext in ("odt", "ods", "odp"):
            _odf(raw, text, budget)
        elif ext in ("md", "txt", "csv"):
            text.add(raw[: MAX_TEXT_CHARS * 4].decode("utf-8", errors="replace"))
    except OutOfBudget as exc:
        complete, timed_out = False, exc.timed_out
    except Exception:  # a damaged file is still shared, just not searchable inside
        log.warning("could not extract the text of %s", name, exc_info=True)
    if text.skipped:
        complete = False
    return Extraction(clean("".join(text.parts)), complete, timed_out)


# --- PDF --------------------------------------------------------------------------------------


#: Operators that can add text (pypdf's own list): a page without any has no text to parse.
_PDF_TEXT_OPERATORS = re.compile(rb"T[jJ]|Do|'|\"")


def _pdf(raw: bytes, text: _Text, budget: _Budget) -> None:
    limits = budget.limits
    operators = 0

    def visitor(*_args) -> None:  # called before each operator, a form XObject's too
        nonlocal operators
        operators += 1
        if operators % 512 == 0:
            budget.check_time()

    # pypdf's own limit per stream: no content stream (a form XObject's included) parses into
    # more tokens than a page may have bytes.
    with apply_configuration(stream_parsing_work_maximum_count=limits.max_page_bytes):
        reader = PdfReader(io.BytesIO(raw))
        for number, page in enumerate(reader.pages):
            budget.check_time()
            if number >= limits.max_pages:
                text.skipped = True
                return
            try:
                contents = page.get_contents()
                data = contents.get_data() if contents is not None else b""
            except Exception:  # damaged, or over pypdf's own decoding limits
                log.warning("could not read a PDF page's content", exc_info=True)
                text.skipped = True
                continue
            budget.take(len(data))
            if len(data) > limits.max_page_bytes:  # never parsed
                text.skipped = True
                continue
            if not _PDF_TEXT_OPERATORS.search(data):
                continue  # a figure: nothing to parse (a visitor would make pypdf parse it)
            try:
                part = page.extract_text(visitor_operand_before=visitor) or ""
            except OutOfBudget:
                raise
            except Exception:  # one damaged page: the others are still read
                log.warning("could not extract the text of a PDF page", exc_info=True)
                text.skipped = True
                continue
            text.add(part + "\n\n")
            if text.full:
                return


# --- ZIP packages: OOXML and OpenDocument -----------------------------------------------------

_OOXML_PARTS = {
    "docx": re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml"),
    "xlsx": re.compile(r"xl/sharedStrings\.xml"),
    "pptx": re.compile(r"ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"),
}


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """A member's decompressed bytes, a chunk at a time, each counted against the budget.
    Only the methods Office and OpenDocument use (stored, deflated) are read."""
    if info.compress_type not in ZIP_METHODS:
        raise ValueError(f"compression method {info.compress_type} of {info.filename}")
    with archive.open(info) as member:
        while chunk := member.read(CHUNK_BYTES):
            budget.take(len(chunk))
            yield chunk


def _events(chunks: Iterator[bytes], budget: _Budget):
    """``(event, element, stack)`` of an XML part fed a chunk at a time; the caller removes
    elements it is done with (``_drop``), so a huge part never builds a huge tree. The
    standard library's expat refuses entity-expansion bombs and never fetches an external
    entity."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    stack: list[ElementTree.Element] = []
    seen = 0
    for chunk in chunks:
        parser.feed(chunk)
        for event, element in parser.read_events():
            seen += 1
            if seen % 512 == 0:
                budget.check_time()
            if event == "start":
                stack.append(element)
                if len(stack) > MAX_XML_DEPTH:  # an open element cannot be dropped
                    raise OutOfBudget(timed_out=False)
                continue
            stack.pop()
            yield element, stack
    parser.close()


def _drop(element, stack) -> None:
    """Forget an element that has ended. Its earlier siblings ended before it and were
    dropped, so it is its parent's first child (later ones may be parsed already)."""
    if stack and len(stack[-1]) and stack[-1][0] is element:
        del stack[-1][0]


def _ooxml_text(chunks: Iterator[bytes], text: _Text, budget: _Budget) -> None:
    """The text runs (``w:t``, ``a:t``, a shared string's ``t``) of an OOXML part, a line break
    after each paragraph."""
    for element, stack in _events(chunks, budget):
        local = element.tag.rsplit("}", 1)[-1]
        if local == "t" and element.text:
            text.add(element.text)
        elif local in ("p", "si", "tr"):
            text.add("\n")
        elif local in ("tab", "br"):
            text.add(" ")
        _drop(element, stack)
        if text.full:
            return


def _odf_text(chunks: Iterator[bytes], text: _Text, budget: _Budget) -> None:
    """OpenDocument text: paragraphs and headings with their spans, in document order."""
    for element, stack in _events(chunks, budget):
        local = element.tag.rsplit("}", 1)[-1]
        if local in ("p", "h"):
            text.add("".join(element.itertext()) + "\n")
        # Spans and their tails are read with their paragraph: keep what is inside one.
        if not any(e.tag.rsplit("}", 1)[-1] in ("p", "h") for e in stack):
            _drop(element, stack)
        if text.full:
            return


def _ooxml(raw: bytes, ext: str, text: _Text, budget: _Budget) -> None:
    pattern = _OOXML_PARTS[ext]
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        infos = [i for i in archive.infolist() if pattern.fullmatch(i.filename)]
        infos.sort(key=lambda i: [int(n) if n.isdigit() else n for n in _DIGITS.split(i.filename)])
        for info in infos:
            budget.check_time()
            _ooxml_text(_chunks(archive, info, budget), text, budget)
            text.add("\n")
            if text.full:
                return


def _odf(raw: bytes, text: _Text, budget: _Budget) -> None:
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        try:
            info = archive.getinfo("content.xml")
        except KeyError:
            return
        _odf_text(_chunks(archive, info, budget), text, budget)
