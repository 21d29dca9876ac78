"""File names, sizes and sniffed types (attachments/checks.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments import checks
from attachments.services import validate_uploads

from .conftest import png_bytes


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd",
        "..\\..\\boot.ini",
        "con.txt",
        "NUL",
        "lpt1.log",
        "report\x00.pdf",
        "invoice\u202efdp.exe",
        "\u200b\u200b",
        "",
        "   ",
        "a" * 300,
    ],
)
def test_bad_names_have_a_reason(raw):
    assert checks.name_problem(raw)


@pytest.mark.parametrize("raw", ["screenshot.png", "Überweisung 2026.pdf", "notes.v2.txt", ".htaccess"])
def test_ordinary_names_pass(raw):
    assert checks.name_problem(raw) is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\shot.png", "shot.png"),
        ("con.txt", "_con.txt"),
        ("bad\x00name.txt", "badname.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u200b", "attachment"),
        ("  spaced   out .txt. ", "spaced out .txt"),
    ],
)
def test_sanitize_filename(raw, clean):
    assert checks.sanitize_filename(raw) == clean


def test_sniffing_sees_through_names():
    assert checks.sniff(png_bytes()) == "image/png"
    assert checks.sniff(b"<html><script>alert(1)</script></html>") == ""
    assert checks.sniff(b"MZ\x90\x00" + b"\x00" * 100) == "application/x-msdownload"


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_valid_uploads_have_no_errors():
    files = [_upload("shot.png", png_bytes(), "image/png"), _upload("log.txt", b"line 1\n", "text/plain")]
    assert validate_uploads(files) == []


def test_each_problem_is_named(settings):
    settings.HELPDESK_ATTACHMENT_MAX_BYTES = 1000
    errors = validate_uploads(
        [
            _upload("empty.txt", b""),
            _upload("big.log", b"x" * 2000),
            _upload("setup.exe", b"MZ" + b"\x00" * 10),
            _upload("run.sh", b"#!/bin/sh\nrm -rf /\n"),
            _upload("fake.png", b"<html><script>alert(1)</script></html>", "image/png"),
            _upload("program.txt", b"MZ\x90\x00" + b"\x00" * 100),
            _upload("con.txt", b"hello"),
            _upload("ok.txt", b"fine"),
        ]
    )
    text = "\n".join(errors)
    assert "“empty.txt” is empty" in text
    assert "“big.log” is 2 KB; the limit is 1000 bytes per file" in text
    assert "“setup.exe” is a .exe file" in text
    assert "“run.sh” is a .sh file" in text
    assert "“fake.png” is called .png but its contents are not a .png file" in text
    assert "“program.txt” is a program or script" in text
    assert "“_con.txt” has a name Windows reserves" in text
    assert "ok.txt" not in text
    assert len(errors) == 7


def test_count_and_total_limits(settings):
    settings.HELPDESK_ATTACHMENTS_MAX_FILES = 3
    settings.HELPDESK_ATTACHMENTS_MAX_TOTAL_BYTES = 10
    errors = validate_uploads([_upload(f"f{i}.txt", b"12345") for i in range(4)])
    assert errors == [
        "Attach at most 3 files to one message (you chose 4).",
        "These files add up to 20 bytes; one message can carry 10 bytes.",
    ]


def test_default_limits():
    assert checks.max_file_bytes() == 25 * 1024 * 1024
    assert checks.max_total_bytes() == 50 * 1024 * 1024
    assert checks.max_files() == 20
