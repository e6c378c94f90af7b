#!/usr/bin/env bash
# Starts ocrportal for one machine (web app with the built-in OCR engine, and the worker); Ctrl+C stops all.
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
  # The demo templates go to the built-in engine, which is the OCR domain unless OCR_*_INVOKE_URL say otherwise.
  $PYTHON manage.py import_template ocrengine/demo/templates/*.json
fi

export PORT
DATA="${DATA_DIR:-var}"
mkdir -p "$DATA"
$PYTHON manage.py runserver "127.0.0.1:$PORT" --noreload &
pids+=($!)
# The background worker, with the scheduler (-B) that retries held documents and picks up stuck ones.
.venv/bin/celery -A ocrportal worker -B --loglevel INFO --concurrency 2 --schedule "$DATA/celerybeat-schedule" &
pids+=($!)

sleep 1
ENGINE_SECRET=$($PYTHON manage.py shell --no-imports -c "from django.conf import settings; print(settings.OCR_ENGINE_SECRET)" 2>/dev/null)
cat <<MSG

  ocrportal is running: open http://127.0.0.1:$PORT/
  Log in as the demo reviewer:   reviewer / reviewer-demo
  (or the demo supervisor:       supervisor / supervisor-demo)

  Built-in OCR engine: http://127.0.0.1:$PORT/ocr/local   (X-OCR-SECRET: $ENGINE_SECRET)
  Demo forms to try:   .venv/bin/python -m ocrengine.demo.samples var/samples --count 10
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
