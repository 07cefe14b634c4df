#!/bin/sh
# Restore a dump made by docs/ops/backup.sh (pg_dump --format=custom) into an EMPTY
# database: docs/ops/restore.sh DUMP_FILE TARGET_DATABASE_URL
#
# The target must exist and have no tables (createdb, or CREATE DATABASE as its owner);
# the script refuses anything else, so it can never overwrite a live database. The restore
# is one transaction: it completes or leaves the target empty. Afterwards point
# DATABASE_URL at the target, run `manage.py migrate` (a no-op unless the code is newer
# than the dump) and start the nodes and workers. See docs/operations.md, "Restore".
set -eu
if [ "$#" -ne 2 ]; then
  echo "usage: $0 DUMP_FILE TARGET_DATABASE_URL" >&2
  exit 64
fi
dump=$1
target=$2
if [ ! -r "$dump" ]; then
  echo "cannot read the dump $dump" >&2
  exit 66
fi
tables=$(psql "$target" --no-psqlrc --tuples-only --no-align --quiet \
  --command="SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
if [ "$tables" != "0" ]; then
  echo "refusing to restore: the target database already has $tables tables" >&2
  exit 2
fi
pg_restore --dbname="$target" --no-owner --no-acl --exit-on-error --single-transaction "$dump"
# Fresh planner statistics: the restored tables have none.
psql "$target" --no-psqlrc --quiet --command="ANALYZE"
echo "restored $dump"
