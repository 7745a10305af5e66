"""Uploaded documents: the type is checked by content, and downloads are served safely.

Accepted types (by file-name extension, and the content must be of that type):

* ``pdf``: starts with the PDF signature (``%PDF``), as told by ``filetype``;
* ``docx`` / ``xlsx`` / ``pptx``: a ZIP file from its first byte (not a program with a ZIP
  appended) whose ``[Content_Types].xml`` declares the Word / Excel / PowerPoint main part of
  that very type, without macros (no ``vbaProject.bin``, no macro-enabled main part: a ``.docm``,
  ``.xlsm`` or ``.pptm`` renamed is refused);
* ``odt`` / ``ods`` / ``odp``: a ZIP file from its first byte whose ``mimetype`` entry is
  OpenDocument text / spreadsheet / presentation;
* every ZIP package's members stored or deflated, the only methods office programs use (a
  bzip2 or LZMA member, as in a zip bomb, is refused with its own error);
* ``txt`` / ``md`` / ``csv``: UTF-8 text without NUL characters;
* ``png`` / ``jpg`` / ``jpeg`` / ``gif`` / ``webp``: an image of that format by its signature.

Anything else, a renamed program (``setup.pdf`` that is a Windows executable) included, is
refused. Uploads are never served from ``MEDIA_URL``: only through permission-checked views that
answer with :func:`document_response` (attachment, the checked type, ``nosniff``).
"""

from __future__ import annotations

import codecs
import re
import zipfile
from typing import IO

import filetype
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "txt": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
}
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
#: The main part an OOXML package of each type declares in ``[Content_Types].xml``.
OOXML_MAIN = {
    "docx": DOCX_MAIN,
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
#: The ``mimetype`` entry of an OpenDocument package of each type.
ODF_MIMETYPES = {
    "odt": ODT_MIMETYPE,
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif"}
IMAGE_TYPES["webp"] = "image/webp"
ZIP_TYPES = {"application/zip"} | {CONTENT_TYPES[ext] for ext in (*OOXML_MAIN, *ODF_MIMETYPES)}
HEAD_BYTES = 8192
MAX_MANIFEST_BYTES = 1024 * 1024  # [Content_Types].xml or mimetype larger than this: not ours
#: The only compression methods Office and OpenDocument files use (bzip2, LZMA … never).
ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


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
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if any(info.compress_type not in ZIP_METHODS for info in archive.infolist()):
        archive.close()
        raise ValidationError(
            _(
                "This file is compressed in a way office programs never use, so it cannot be "
                "shared. Open it in your office program and save it again, or upload a PDF."
            ),
            code="file_packing",
        )
    return archive


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


def _ooxml(ext: str):
    def check(upload) -> bool:
        archive = _zip(upload)
        if archive is None:
            return False
        with archive:
            names = archive.namelist()
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False  # macros: a .docm, .xlsm or .pptm renamed
            manifest = _read_small(archive, "[Content_Types].xml")
            if not manifest or b"macroenabled" in manifest.lower():
                return False
            return OOXML_MAIN[ext].encode() in manifest

    return check


def _odf(ext: str):
    def check(upload) -> bool:
        archive = _zip(upload)
        if archive is None:
            return False
        with archive:
            mimetype = _read_small(archive, "mimetype")
            return mimetype is not None and mimetype.strip() == ODF_MIMETYPES[ext]

    return check


def _image(ext: str):
    def check(upload) -> bool:
        return _guess(_head(upload)) == IMAGE_TYPES[ext]

    return check


_is_docx = _ooxml("docx")
_is_odt = _odf("odt")


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


_CHECKS = {
    "pdf": _is_pdf,
    "txt": _is_text,
    "md": _is_text,
    "csv": _is_text,
    **{ext: _ooxml(ext) for ext in OOXML_MAIN},
    **{ext: _odf(ext) for ext in ODF_MIMETYPES},
    **{ext: _image(ext) for ext in IMAGE_TYPES},
}


def validate_size(upload, max_bytes: int) -> None:
    """Refuse ``upload`` if it is larger than ``max_bytes``, saying both sizes."""
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_size",
        )


_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


def display_name(name: str, *, fallback: str = "file") -> str:
    """The uploader's file name made safe to show and to offer as a download name: only the
    last path component (``../../etc/passwd.pdf`` → ``passwd.pdf``, Windows separators too),
    without control or reserved characters, leading dots or spaces, at most 120 characters
    (the extension kept). Never used as a name on disk."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE_NAME.sub("", base).strip().lstrip(". ")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 119 - len(ext)] + dot + ext) if dot and len(ext) <= 10 else base[:120]
    return base or fallback


def stored_file_response(storage, name: str, *, filename: str, content_type: str) -> FileResponse:
    """A file of ``storage`` as a download (streamed from the storage, local or S3), like
    :func:`document_response`: attachment, the checked type, ``nosniff``."""
    response = FileResponse(
        storage.open(name, "rb"),
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
