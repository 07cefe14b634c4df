#!/bin/sh
# Back up the database: docs/ops/backup.sh DATABASE_URL DUMP_FILE
# A custom-format dump (compressed, restorable table by table) that docs/ops/restore.sh
# reads. Needs PostgreSQL's client programs (pg_dump) of the server's major version or newer.
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 DATABASE_URL DUMP_FILE" >&2
  exit 64
fi
pg_dump --format=custom --no-owner --no-acl --file="$2" "$1"
echo "dumped to $2"
