#!/usr/bin/env bash
# Starts ocrportal for one machine; Ctrl+C stops all of it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8000}"
PYTHON=.venv/bin/python

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

if [ "${OCRPORTAL_ENV:-development}" = "development" ]; then
  $PYTHON manage.py seed_demo
fi

$PYTHON manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)

sleep 1
cat <<MSG

  ocrportal is running: open http://127.0.0.1:$PORT/
  Log in as the demo reviewer:   reviewer / reviewer-demo
  (or the demo supervisor:       supervisor / supervisor-demo)
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
