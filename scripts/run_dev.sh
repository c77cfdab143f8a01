#!/usr/bin/env bash
# `make run`: the web server, a Celery worker and Celery beat, on the embedded default
# (SQLite, the filesystem broker, emails as files in var/mail). Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
URL="http://$HOST:$PORT"
# The links in emails (rendered by the worker) point at this server unless told otherwise.
export SITE_URL=${SITE_URL:-$URL}
PIDS=var/run
mkdir -p "$PIDS"
rm -f "$PIDS/celery-worker.pid" "$PIDS/celery-beat.pid"

stop() {
  trap - INT TERM EXIT
  kill 0 2>/dev/null
  wait
}
# Ctrl-C reaches every process of the group: let them stop on their own first, because a
# second signal would interrupt Celery's shutdown (and print a traceback).
on_ctrl_c() {
  for _ in $(seq 50); do
    [ -z "$(jobs -rp)" ] && break
    sleep 0.1
  done
  stop
}
trap on_ctrl_c INT
trap stop TERM EXIT

# Each Celery process writes its pid file just before it prints its start-up banner.
$BIN/celery -A clinic worker --pool=threads --concurrency=2 --loglevel=warning \
  --pidfile="$PIDS/celery-worker.pid" &
$BIN/celery -A clinic beat --loglevel=warning --pidfile="$PIDS/celery-beat.pid" &
$BIN/python manage.py runserver "$HOST:$PORT" &
SERVER=$!

# The banner comes last: after Celery's start-up output, once the web server answers.
for _ in $(seq 300); do
  [ -s "$PIDS/celery-worker.pid" ] && [ -s "$PIDS/celery-beat.pid" ] && break
  sleep 0.2
done
$BIN/python - "$URL/healthz" "$SERVER" <<'PY' || { echo "The web server did not answer at $URL/ (see above)."; exit 1; }
import os, sys, time, urllib.request

url, server = sys.argv[1], int(sys.argv[2])
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(url, timeout=2).close()
        sys.exit(0)
    except OSError:
        try:
            os.kill(server, 0)  # still starting?
        except ProcessLookupError:
            sys.exit(1)
        time.sleep(0.2)
sys.exit(1)
PY

cat <<INFO

  Clinic is running at  $URL/
  Django admin:         $URL/admin/
  API docs:             $URL/api/v1/docs
  Emails are written to ${EMAIL_FILE_PATH:-$(pwd)/var/mail}/ (links in them start with $SITE_URL)
  Demo logins (password massage-demo-2026): admin@clinic.example, desk@clinic.example,
    maya@clinic.example (therapist), client@example.com (client)
  Press Ctrl-C to stop the web server, worker and scheduler.

INFO
wait "$SERVER"
