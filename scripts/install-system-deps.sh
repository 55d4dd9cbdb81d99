#!/usr/bin/env bash
# System packages xlcnn's tests and workbook commands use: LibreOffice headless (the real
# spreadsheet engine), bubblewrap (the sandbox LibreOffice runs students' files in: no network,
# no other file), poppler-utils (pdftoppm: `inspect --png` and the gallery's pictures of printed
# pages), Debian's python3-uno (lets the tests drive LibreOffice as a user would), with --test also
# Chromium (the browser the Office.js add-in test runs in).
# Installs them with apt-get when they are missing and we may (root or passwordless sudo);
# otherwise says what to install and carries on (the commands that need them say so too).
set -u
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ "${1:-}" = "--test" ]; then
  command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need+=(chromium)
fi
if [ -x /usr/bin/python3 ] && ! /usr/bin/python3 -c 'import uno' >/dev/null 2>&1; then need+=(python3-uno); fi
[ -x /usr/bin/python3 ] || need+=(python3-uno)
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "xlcnn: please install LibreOffice (and its Python UNO bridge) with your package manager: missing ${need[*]}" >&2
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
    echo "xlcnn: run 'sudo apt-get install --no-install-recommends ${need[*]}' (not root, cannot install)" >&2
    exit 0
  fi
fi
echo "xlcnn: installing ${need[*]} (apt-get)"
$sudo apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
