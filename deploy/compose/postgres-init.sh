#!/bin/sh
# Runs once, when PostgreSQL's data volume is first made: a role and a database for Vaka,
# and a role for Temporal, which creates its own two databases (temporal and
# temporal_visibility) at its first start. Passwords come from the secrets files.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v vaka_password="$(cat /run/secrets/vaka_db_password)" \
  -v temporal_password="$(cat /run/secrets/temporal_db_password)" <<'SQL'
CREATE ROLE vaka LOGIN PASSWORD :'vaka_password';
CREATE DATABASE vaka OWNER vaka;
CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';
SQL
