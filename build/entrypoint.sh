#!/bin/sh
# Start gunicorn (under tini, which forwards signals and reaps children).
# A gunicorn.conf.py in the data folder replaces the image's own.
# Extra arguments (`docker run IMAGE --workers 4`) are passed on to gunicorn.
set -eu

# The database and the secret key are for this user's eyes only.
umask 077

config=/app/gunicorn.conf.py
if [ -f "${RECIPES_DATA_DIR:-/config}/gunicorn.conf.py" ]; then
    config="${RECIPES_DATA_DIR:-/config}/gunicorn.conf.py"
fi

exec gunicorn --config "$config" "$@" "recipes:create_app()"
