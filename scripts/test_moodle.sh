#!/usr/bin/env bash
# make test-moodle: install the real Moodle of ../shared/moodle (or MOODLE_DIR) afresh, run the
# round-trip tests against it (tests marked `moodle`), then stop its database.
#   MOODLE_DIR   the folder with install_moodle.sh and the mdl_*.php helpers (default ../shared/moodle)
#   MOODLE_RT    where the throw-away site lives (default .moodle/ in the checkout; ignored by git)
#   PYTHON       the Python with xlcnn and pytest (default .venv/bin/python)
set -uo pipefail
cd "$(dirname "$0")/.."
MOODLE_DIR="${MOODLE_DIR:-../shared/moodle}"
MOODLE_RT="${MOODLE_RT:-$PWD/.moodle}"
PYTHON="${PYTHON:-.venv/bin/python}"
if [ ! -f "$MOODLE_DIR/install_moodle.sh" ]; then
  echo "xlcnn: no Moodle installer in $MOODLE_DIR (set MOODLE_DIR to ../shared/moodle's copy)" >&2
  exit 2
fi
MOODLE_DIR="$(cd "$MOODLE_DIR" && pwd)"
echo "xlcnn: installing Moodle from $MOODLE_DIR into $MOODLE_RT (about 40 s, 3 min the first time)"
MOODLE_RT="$MOODLE_RT" bash "$MOODLE_DIR/install_moodle.sh" || exit $?
MOODLE_WWW="$MOODLE_RT/www" MOODLE_DIR="$MOODLE_DIR" "$PYTHON" -m pytest -m moodle tests/moodle "$@"
rc=$?
pgbin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$pgbin" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$MOODLE_RT/pg/data" stop -m fast >/dev/null 2>&1
exit $rc
