#!/usr/bin/env bash
# Starts ocrportal on one machine (web app with the built-in OCR engine, a worker, the scheduler); Ctrl+C stops all.
#
# Development: Django's runserver, the demo users and templates, a worker with the scheduler inside it.
# Production (OCRPORTAL_ENV=production): migrations and collectstatic first, then gunicorn, a worker and
# one beat as separate processes, and nothing secret printed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT="${PORT:-8000}"
PYTHON=.venv/bin/python
ENVIRONMENT="${OCRPORTAL_ENV:-development}"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

export PORT
DATA="${DATA_DIR:-var}"
mkdir -p "$DATA"

if [ "$ENVIRONMENT" = "production" ]; then
  $PYTHON manage.py migrate --noinput -v 0
  $PYTHON manage.py collectstatic --noinput -v 0
  # gthread workers: a long OCR call to the engine inside them does not count as a hung worker.
  .venv/bin/gunicorn ocrportal.wsgi:application --bind "${BIND_ADDRESS:-127.0.0.1}:$PORT" \
    --workers "${WEB_CONCURRENCY:-2}" --worker-class gthread --threads "${WEB_THREADS:-4}" \
    --access-logfile - &
  pids+=($!)
  .venv/bin/celery -A ocrportal worker --loglevel INFO --concurrency "${WORKER_CONCURRENCY:-2}" &
  pids+=($!)
  .venv/bin/celery -A ocrportal beat --loglevel INFO --schedule "$DATA/celerybeat-schedule" &
  pids+=($!)
  cat <<MSG

  ocrportal is running (production): http://${BIND_ADDRESS:-127.0.0.1}:$PORT/ behind your TLS proxy
  Web: gunicorn, ${WEB_CONCURRENCY:-2} processes; worker: ${WORKER_CONCURRENCY:-2} processes; scheduler: one beat.
  Create a supervisor with:  .venv/bin/python manage.py createsuperuser
  Press Ctrl+C to stop.

MSG
else
  $PYTHON manage.py seed_demo
  $PYTHON manage.py runserver "127.0.0.1:$PORT" --noreload &
  pids+=($!)
  # The demo templates go to the built-in engine over HTTP, as every engine call does: once it answers.
  $PYTHON - "$PORT" <<'PY'
import sys, time, urllib.request
for _ in range(240):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2)
        break
    except OSError:
        time.sleep(0.5)
PY
  $PYTHON manage.py import_template ocrengine/demo/templates/*.json \
    || echo "  (the demo templates were not deployed: the OCR domain in use is not the built-in engine)"
  # The background worker, with the scheduler (-B) that retries held documents and picks up stuck ones.
  .venv/bin/celery -A ocrportal worker -B --loglevel INFO --concurrency 2 --schedule "$DATA/celerybeat-schedule" &
  pids+=($!)
  sleep 1
  ENGINE_SECRET=$($PYTHON manage.py shell --no-imports -c "from django.conf import settings; print(settings.OCR_ENGINE_SECRET)" 2>/dev/null)
  cat <<MSG

  ocrportal is running: open http://127.0.0.1:$PORT/
  Log in as the demo reviewer:   reviewer / reviewer-demo
  (or the demo supervisor:       supervisor / supervisor-demo)

  Built-in OCR engine: http://127.0.0.1:$PORT/ocr/local   (X-OCR-SECRET: $ENGINE_SECRET, a development secret)
  Demo forms to try:   .venv/bin/python -m ocrengine.demo.samples var/samples --count 10
  Press Ctrl+C to stop.

MSG
fi
wait -n "${pids[@]}"
