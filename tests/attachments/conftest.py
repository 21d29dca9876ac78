from __future__ import annotations

import io

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test stores files in its own directory, so orphan checks see only that test's files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "red") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
