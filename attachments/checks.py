"""Checks on a file before it is stored: its name, its size and what its bytes really are.

Pure functions (no database); ``services.validate_uploads`` turns their answers into field errors."""

from __future__ import annotations

import mimetypes
import os
import re
import unicodedata

import filetype
from django.conf import settings

MB = 1024 * 1024
SNIFF_BYTES = 8192

# Programs and scripts a click could run on the reader's machine (Windows, macOS, Linux, browsers).
DEFAULT_REFUSED_EXTENSIONS = frozenset({
    "exe", "com", "scr", "pif", "bat", "cmd", "msi", "msp", "mst", "cpl", "dll", "sys", "drv", "ocx",
    "lnk", "inf", "reg", "hta", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ws", "ps1", "psm1", "psd1",
    "sh", "bash", "zsh", "csh", "ksh", "command", "app", "jar", "apk", "dmg", "pkg", "deb", "rpm",
    "elf", "bin", "run", "msix", "appx", "gadget", "scf", "iso", "img", "vhd", "vhdx", "xll",
})  # fmt: skip
DEFAULT_REFUSED_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-dosexec",
        "application/x-msdos-program",
        "application/x-executable",
        "application/x-elf",
        "application/x-mach-binary",
        "application/x-sh",
        "application/x-shellscript",
        "application/x-csh",
        "application/javascript",
        "text/javascript",
        "application/x-javascript",
        "application/hta",
        "application/x-ms-installer",
        "application/x-msi",
        "application/java-archive",
        "application/vnd.android.package-archive",
        "application/x-deb",
        "application/x-rpm",
        "application/x-shockwave-flash",
        "application/x-google-chrome-extension",
        "application/wasm",
    }
)
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$", re.IGNORECASE)
# Characters that change how a name *looks* without being visible: direction overrides and marks,
# zero-width spaces/joiners, the byte-order mark.
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u061c"
)
# Names whose extension promises a type we can recognise from the bytes.
_CLAIMS = {
    "png": "image/",
    "jpg": "image/",
    "jpeg": "image/",
    "gif": "image/",
    "webp": "image/",
    "bmp": "image/",
    "tif": "image/",
    "tiff": "image/",
    "pdf": "application/pdf",
    "zip": "application/zip",
    "docx": "application/",
    "xlsx": "application/",
    "pptx": "application/",
}


def max_file_bytes() -> int:
    return int(getattr(settings, "HELPDESK_ATTACHMENT_MAX_BYTES", 25 * MB))


def max_total_bytes() -> int:
    return int(getattr(settings, "HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES", 50 * MB))


def max_files() -> int:
    return int(getattr(settings, "HELPDESK_ATTACHMENTS_MAX_FILES", 20))


def refused_extensions() -> frozenset[str]:
    return frozenset(getattr(settings, "HELPDESK_ATTACHMENT_REFUSED_EXTENSIONS", DEFAULT_REFUSED_EXTENSIONS))


def refused_types() -> frozenset[str]:
    return frozenset(getattr(settings, "HELPDESK_ATTACHMENT_REFUSED_TYPES", DEFAULT_REFUSED_TYPES))


def human_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def extension(name: str) -> str:
    return os.path.splitext(name)[1].lstrip(".").lower()


def name_problem(raw: str) -> str | None:
    """Why a file name cannot be accepted as typed, or None. (Multipart parsing already keeps only the
    last path component, so ``../../etc/passwd`` arrives here as ``passwd``; other callers may not.)"""
    if raw is None or not raw.strip() or all(ch in _INVISIBLE or ch.isspace() for ch in raw):
        return "has no usable name"
    if "/" in raw or "\\" in raw or raw.strip() in {".", ".."}:
        return "is a path, not a file name"
    if any(unicodedata.category(ch) == "Cc" for ch in raw):
        return "has control characters in its name"
    if any(ch in _INVISIBLE for ch in raw):
        return "has invisible or right-to-left characters in its name that can disguise its type"
    stem = raw.strip().split(".")[0].strip()
    if _RESERVED.match(stem):
        return "has a name Windows reserves for devices (like CON or NUL)"
    if len(raw) > 255:
        return "has a name longer than 255 characters"
    return None


def sanitize_filename(raw: str, fallback: str = "attachment") -> str:
    """A safe display/download name for any input (email attachments are never refused for their name)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf"} and ch not in _INVISIBLE)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if not name:
        return fallback
    stem, dot, ext = name.partition(".")
    if _RESERVED.match(stem.strip()):
        name = f"_{name}"
    if len(name) > 200:
        base, ext = os.path.splitext(name)
        name = base[: 200 - len(ext[:20])] + ext[:20]
    return name


def sniff(head: bytes) -> str:
    """The content type the bytes show (filetype's magic numbers), or "" when they show none."""
    kind = filetype.guess(head[:SNIFF_BYTES]) if head else None
    return kind.mime if kind else ""


def declared_or_guessed(name: str, declared: str) -> str:
    declared = (declared or "").split(";")[0].strip().lower()
    return declared or (mimetypes.guess_type(name)[0] or "")


def type_problem(name: str, declared: str, sniffed: str) -> str | None:
    """Refused (program/script) or lying (says image, is not) types, or None."""
    ext = extension(name)
    if ext in refused_extensions():
        return f"is a .{ext} file; programs and scripts cannot be attached"
    types = refused_types()
    if sniffed in types or declared_or_guessed(name, declared) in types:
        return "is a program or script; those cannot be attached"
    claim = _CLAIMS.get(ext)
    if claim and not sniffed.startswith(claim):
        return f"is called .{ext} but its contents are not a .{ext} file"
    return None
