#!/bin/sh
# Reads each VAKA_<NAME>_FILE into VAKA_<NAME>, so secrets come from files (docker
# secrets, Kubernetes secret volumes) and never from the image or the process list.
set -eu

for assignment in $(env | grep -o '^VAKA_[A-Z0-9_]*_FILE=' || true); do
  file_var="${assignment%=}"
  var="${file_var%_FILE}"
  path="$(printenv "$file_var")"
  if [ -n "$(printenv "$var" || true)" ]; then
    echo "docker-entrypoint: both $var and $file_var are set; use one" >&2
    exit 64
  fi
  if [ ! -r "$path" ]; then
    echo "docker-entrypoint: $file_var names $path, which cannot be read" >&2
    exit 66
  fi
  value="$(cat "$path")"
  export "$var=$value"
  unset "$file_var"
done

exec "$@"
