#!/usr/bin/env bash
# Makes the secrets the compose file mounts, once: random passwords, the database URL
# that matches Vaka's password, and a new cipher key for the case file. An existing file
# is never overwritten: above all the cipher key, without which the case file is lost.
#
# Usage: deploy/compose-secrets.sh [--cipher-key-from FILE]
#   --cipher-key-from FILE  use the key of an existing Vaka (a move, or a restore)
set -euo pipefail
cd "$(dirname "$0")"

key_source=""
if [[ "${1:-}" == "--cipher-key-from" && -n "${2:-}" ]]; then
  key_source="$2"
elif [[ $# -gt 0 ]]; then
  echo "usage: $0 [--cipher-key-from FILE]" >&2
  exit 64
fi

random() { python3 -c 'import secrets; print(secrets.token_urlsafe(32))'; }

umask 077
mkdir -p secrets
chmod 700 secrets   # the folder keeps other users of the host out

write() {
  local name="$1" value="$2"
  if [[ -e "secrets/$name" ]]; then
    echo "kept    secrets/$name"
    return
  fi
  printf '%s\n' "$value" > "secrets/$name"
  # Readable inside the containers, whose users differ from the host's (postgres, vaka).
  chmod 644 "secrets/$name"
  echo "made    secrets/$name"
}

write postgres_password "$(random)"
write temporal_db_password "$(random)"
write vaka_db_password "$(random)"
write vaka_database_url "postgresql://vaka:$(cat secrets/vaka_db_password)@postgres:5432/vaka"
if [[ -n "$key_source" ]]; then
  write vaka_cipher_key "$(tr -d '[:space:]' < "$key_source")"
else
  write vaka_cipher_key "$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
fi
echo "Keep a copy of secrets/vaka_cipher_key apart from the backups (deploy/README.md)."
