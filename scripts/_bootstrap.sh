# Shared by scripts/run and scripts/test: a project-local uv, then the locked virtualenv. Idempotent.
# shellcheck shell=bash
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_PYTHON_DOWNLOADS=never
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "error: Python 3.11+ is required (found: $("$PYTHON" --version 2>&1)). Set PYTHON=/path/to/python3.11." >&2
  exit 1
fi
if [ ! -x .tools/bin/uv ]; then
  echo "==> installing uv into .tools/"
  if ! "$PYTHON" -m venv .tools >/dev/null 2>&1; then
    echo "error: '$PYTHON -m venv' failed. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
    exit 1
  fi
  .tools/bin/pip install -q "uv==0.13.9"
fi
echo "==> installing Python dependencies (.venv)"
.tools/bin/uv sync --locked --quiet --python "$PYTHON"
mkdir -p var
