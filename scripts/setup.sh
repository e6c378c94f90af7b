#!/usr/bin/env bash
# Installs what ocrportal needs on a Debian/Ubuntu machine; quick when nothing is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SYSTEM_PACKAGES=(
  poppler-utils
  tesseract-ocr tesseract-ocr-kor tesseract-ocr-jpn tesseract-ocr-chi-tra
  tesseract-ocr-script-hang tesseract-ocr-script-jpan
  fonts-nanum fonts-noto-cjk
  # Typefaces the engine's demo corpus draws forms in (ocrengine/demo/fonts.py): a tuning part and a
  # report part that tuning never sees.
  fonts-nanum-extra fonts-unfonts-core fonts-unfonts-extra fonts-baekmuk fonts-lexi-saebom fonts-alee
  fonts-ipaexfont-gothic fonts-ipaexfont-mincho fonts-vlgothic fonts-sawarabi-mincho fonts-sawarabi-gothic
  fonts-klee fonts-kiloji fonts-seto fonts-takao-mincho fonts-mplus fonts-motoya-l-maruberi
  fonts-yozvox-yozfont
  chromium curl
  gettext
)

install_system_packages() {
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "setup: installing system packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

python_is_suitable() {
  "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  # PATH first (a pyenv shim may exist yet refuse to run: executing it is the only real test),
  # then pyenv's own installs, newest first.
  local cand
  for cand in python3.14 python3.13 python3.12 python3; do
    if command -v "$cand" >/dev/null 2>&1 && python_is_suitable "$cand"; then
      command -v "$cand"; return 0
    fi
  done
  local root="${PYENV_ROOT:-}"
  [ -z "$root" ] && command -v pyenv >/dev/null 2>&1 && root="$(pyenv root)"
  [ -z "$root" ] && root="$HOME/.pyenv"
  for cand in $(ls -d "$root"/versions/3.* 2>/dev/null | sort -V -r); do
    if [ -x "$cand/bin/python3" ] && python_is_suitable "$cand/bin/python3"; then
      echo "$cand/bin/python3"; return 0
    fi
  done
  return 1
}

build_venv() {
  if [ ! -x .venv/bin/python ] || ! python_is_suitable .venv/bin/python; then
    local python
    python="$(find_python)" || { echo "setup: no Python >= 3.12 found on PATH or under pyenv" >&2; exit 1; }
    echo "setup: creating .venv with $python"
    rm -rf .venv
    "$python" -m venv .venv
  fi
  local want have
  want="$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
  have="$(cat .venv/.requirements.sha256 2>/dev/null || true)"
  if [ "$want" != "$have" ]; then
    echo "setup: installing Python packages"
    # This machine's pip config names local mirrors that may be absent; their warnings are noise.
    { .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 \
      && .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt -r requirements-dev.txt 2>&1; } \
      | { grep -v "^WARNING: Location" || true; }
    echo "$want" > .venv/.requirements.sha256
  fi
}

install_system_packages
build_venv
