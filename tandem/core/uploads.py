"""Uploaded documents: the type is checked by content, and downloads are served safely.

Accepted types (by file-name extension, and the content must be of that type):

* ``pdf``: starts with the PDF signature (``%PDF``), as told by ``filetype``;
* ``docx``: a ZIP file from its first byte (not a program with a ZIP appended) whose
  ``[Content_Types].xml`` declares a Word main document, without macros;
* ``odt``: a ZIP file from its first byte whose ``mimetype`` entry is OpenDocument text;
* ``txt`` / ``md``: UTF-8 text without NUL characters.

Anything else, a renamed program (``setup.pdf`` that is a Windows executable) included, is
refused. Uploads are never served from ``MEDIA_URL``: only through permission-checked views that
answer with :func:`document_response` (attachment, the checked type, ``nosniff``).
"""

from __future__ import annotations

import codecs
import zipfile
from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
ZIP_TYPES = {"application/zip", CONTENT_TYPES["docx"], CONTENT_TYPES["odt"]}
HEAD_BYTES = 8192
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml or mimetype larger than this: not ours


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document(upload, allowed: list[str] | None = None) -> str:
    """Check that ``upload`` (a Django ``File``) is what its extension says; return its
    content type or raise :class:`ValidationError` saying what is wrong."""
    ext = extension(upload.name or "")
    allowed = allowed or list(CONTENT_TYPES)
    if ext not in allowed or ext not in CONTENT_TYPES:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted; use one of: %(allowed)s.")
            % {"ext": ext or "?", "allowed": ", ".join(a.upper() for a in allowed)},
            code="file_type",
        )
    upload.seek(0)
    try:
        ok = _CHECKS[ext](upload)
    finally:
        upload.seek(0)
    if not ok:
        raise ValidationError(
            _(
                "This file is not a real %(type)s document (its content does not match its "
                "name). Save it again as %(type)s, or upload another file."
            )
            % {"type": ext.upper()},
            code="file_content",
        )
    return CONTENT_TYPES[ext]


def _head(upload: IO[bytes]) -> bytes:
    return upload.read(HEAD_BYTES)


def _guess(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _is_pdf(upload) -> bool:
    head = _head(upload)
    return head.startswith(b"%PDF-") and _guess(head) == "application/pdf"


def _zip(upload) -> zipfile.ZipFile | None:
    """The upload as a ZIP archive if it *starts* as one (a self-extracting program has the
    archive at its end and starts with ``MZ``), else ``None``."""
    if _guess(_head(upload)) not in ZIP_TYPES:
        return None
    upload.seek(0)
    try:
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > MAX_MANIFEST_BYTES:
        return None
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        return None


def _is_docx(upload) -> bool:
    archive = _zip(upload)
    if archive is None:
        return False
    with archive:
        names = archive.namelist()
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            return False  # macros: a .docm renamed
        manifest = _read_small(archive, "[Content_Types].xml")
        return bool(manifest) and DOCX_MAIN.encode() in manifest


def _is_odt(upload) -> bool:
    archive = _zip(upload)
    if archive is None:
        return False
    with archive:
        mimetype = _read_small(archive, "mimetype")
        return mimetype is not None and mimetype.strip() == ODT_MIMETYPE


def _is_text(upload) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        for chunk in iter(lambda: upload.read(64 * 1024), b""):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


_CHECKS = {"pdf": _is_pdf, "docx": _is_docx, "odt": _is_odt, "txt": _is_text, "md": _is_text}


def document_response(field_file) -> FileResponse:
    """A stored document as a download: ``Content-Disposition: attachment``, the content type
    of its (checked) extension, and ``X-Content-Type-Options: nosniff`` so that no browser
    renders it as anything else."""
    name = field_file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=CONTENT_TYPES.get(extension(name), "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
