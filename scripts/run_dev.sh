#!/usr/bin/env bash
# `make run`: the web server, a Celery worker and Celery beat, on the embedded default
# (SQLite, the filesystem broker, emails as files in var/mail). Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait' INT TERM EXIT

$BIN/celery -A clinic worker --pool=threads --concurrency=2 --loglevel=warning &
$BIN/celery -A clinic beat --loglevel=warning &

cat <<INFO

  Clinic is running at  http://$HOST:$PORT/
  Django admin:         http://$HOST:$PORT/admin/
  API docs:             http://$HOST:$PORT/api/v1/docs
  Emails are written to $(pwd)/var/mail/
  Demo logins (password massage-demo-2026): admin@clinic.example, desk@clinic.example,
    maya@clinic.example (therapist), client@example.com (client)
  Press Ctrl-C to stop the web server, worker and scheduler.

INFO
$BIN/python manage.py runserver "$HOST:$PORT"
