#!/usr/bin/env bash
# Installs (or upgrades) Vaka from its wheel as systemd services on this host:
#   a system user, a virtual environment with the wheel, the env file (0600, never
#   overwritten), one unit per process and vaka.target.
# Safe to run again: each step looks first and changes only what differs. --dry-run
# prints what it would change and changes nothing.
#
#   sudo deploy/systemd/install.sh --wheel dist/vaka-0.2.0-py3-none-any.whl
#   sudo deploy/systemd/install.sh --wheel dist/vaka-0.3.0-py3-none-any.whl --start  # upgrade
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
deploy="$(dirname "$here")"

usage() {
  cat <<EOF
usage: $0 --wheel FILE [options]
  --wheel FILE        the Vaka wheel to install (python -m build --wheel, or a release)
  --dry-run           print what would change; change nothing
  --start             start vaka.target, and restart the processes after an upgrade
  --processes "LIST"  the processes this host runs (default: "api worker relay projector")
  --user NAME         the system user the processes run as (default: vaka)
  --prefix DIR        where the virtual environment goes (default: /opt/vaka)
  --env-dir DIR       where vaka.env goes (default: /etc/vaka)
  --state-dir DIR     VAKA_DATA_DIR and the working directory (default: /var/lib/vaka)
  --unit-dir DIR      where the units go (default: /etc/systemd/system)
  --python CMD        the Python 3.11 that makes the virtual environment (default: python3.11)
EOF
}

die() { echo "install.sh: $*" >&2; exit 2; }

dry_run=0 start=0 wheel=""
processes="api worker relay projector"
service_user=vaka prefix=/opt/vaka env_dir=/etc/vaka state_dir=/var/lib/vaka
unit_dir=/etc/systemd/system python=python3.11
systemctl="${SYSTEMCTL:-systemctl}"   # tests on hosts without systemd put a stand-in here

while [[ $# -gt 0 ]]; do
  case "$1" in
    --wheel) wheel="${2:-}"; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --start) start=1; shift ;;
    --processes) processes="${2:-}"; shift 2 ;;
    --user) service_user="${2:-}"; shift 2 ;;
    --prefix) prefix="${2:-}"; shift 2 ;;
    --env-dir) env_dir="${2:-}"; shift 2 ;;
    --state-dir) state_dir="${2:-}"; shift 2 ;;
    --unit-dir) unit_dir="${2:-}"; shift 2 ;;
    --python) python="${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option: $1" ;;
  esac
done

[[ -n "$wheel" ]] || { usage >&2; die "--wheel is required"; }
[[ -f "$wheel" ]] || die "no wheel at $wheel (build one: python3.11 -m build --wheel)"
wheel="$(cd "$(dirname "$wheel")" && pwd)/$(basename "$wheel")"
wheel_version="$(basename "$wheel" | cut -d- -f2)"
for process in $processes; do
  case "$process" in api|worker|relay|projector) ;;
    *) die "unknown process '$process' (api, worker, relay, projector)" ;; esac
done
if [[ $dry_run -eq 0 && $EUID -ne 0 ]]; then
  die "run as root (sudo), or with --dry-run to see what it would do"
fi

venv="$prefix/venv"
env_file="$env_dir/vaka.env"
changes=0

say() { echo "  ok      $*"; }
run() {
  changes=$((changes + 1))
  if [[ $dry_run -eq 1 ]]; then
    echo "  would   $*"
  else
    echo "  run     $*"
    "$@"
  fi
}

# A directory with its mode and owner, made or corrected.
directory() {
  local path="$1" mode="$2" owner="$3"
  if [[ ! -d "$path" ]]; then
    run install -d -m "$mode" -o "${owner%:*}" -g "${owner#*:}" "$path"
    return
  fi
  attributes "$path" "$mode" "$owner"
}

# Mode and owner corrected where they differ; the content is never touched.
attributes() {
  local path="$1" mode="$2" owner="$3" same=1
  if [[ "$(stat -c '%a' "$path")" != "${mode#0}" ]]; then
    run chmod "$mode" "$path"
    same=0
  fi
  if [[ "$(stat -c '%U:%G' "$path")" != "$owner" ]]; then
    run chown "$owner" "$path"
    same=0
  fi
  if [[ $same -eq 1 ]]; then
    say "$path ($(stat -c '%a %U:%G' "$path"))"
  fi
}

echo "Vaka $wheel_version -> $venv (user $service_user, processes: $processes)"
[[ $dry_run -eq 1 ]] && echo "(dry run: nothing is changed)"

# 1. The system user.
if id -u "$service_user" >/dev/null 2>&1; then
  say "user $service_user"
else
  run useradd --system --user-group --home-dir "$state_dir" --no-create-home \
    --shell /usr/sbin/nologin "$service_user"
fi

# 2. Directories: the state is the user's alone; the env file's folder is root's.
directory "$prefix" 0755 root:root
directory "$state_dir" 0750 "$service_user:$service_user"
directory "$env_dir" 0750 "root:$service_user"

# 3. The virtual environment and the wheel.
if [[ -x "$venv/bin/python" ]]; then
  say "virtual environment $venv"
else
  run "$python" -m venv "$venv"
  run "$venv/bin/pip" install --quiet --upgrade pip
fi
installed=""
if [[ -x "$venv/bin/pip" ]]; then
  installed="$("$venv/bin/pip" show vaka 2>/dev/null | sed -n 's/^Version: //p' || true)"
fi
upgraded=0
if [[ "$installed" == "$wheel_version" ]]; then
  say "vaka $installed installed"
else
  run "$venv/bin/pip" install --quiet --upgrade "$wheel"
  [[ -n "$installed" ]] && upgraded=1
fi

# 4. The env file: made once from the example, never overwritten, always 0600.
if [[ -e "$env_file" ]]; then
  attributes "$env_file" 0600 "$service_user:$service_user"
else
  if [[ $dry_run -eq 1 ]]; then
    changes=$((changes + 1))
    echo "  would   write $env_file (0600) from $deploy/vaka.env.example"
  else
    echo "  run     write $env_file (0600) from $deploy/vaka.env.example"
    ( umask 077
      sed -e "s|^VAKA_DATA_DIR=.*|VAKA_DATA_DIR=$state_dir|" \
        "$deploy/vaka.env.example" > "$env_file" )
    chown "$service_user:$service_user" "$env_file"
    changes=$((changes + 1))
  fi
fi

# 5. The units, with this host's paths.
render() {
  sed -e "s|/opt/vaka/venv|$venv|g" -e "s|/etc/vaka/vaka.env|$env_file|g" \
    -e "s|/var/lib/vaka|$state_dir|g" -e "s|^User=vaka$|User=$service_user|" \
    -e "s|^Group=vaka$|Group=$service_user|" "$here/$1"
}
units_changed=0
for unit in vaka@.service vaka.target; do
  rendered="$(render "$unit")"
  if [[ -f "$unit_dir/$unit" && "$(cat "$unit_dir/$unit")" == "$rendered" ]]; then
    say "$unit_dir/$unit"
  elif [[ $dry_run -eq 1 ]]; then
    changes=$((changes + 1))
    units_changed=1
    echo "  would   write $unit_dir/$unit"
  else
    echo "  run     write $unit_dir/$unit"
    mkdir -p "$unit_dir"
    printf '%s\n' "$rendered" > "$unit_dir/$unit"
    chmod 0644 "$unit_dir/$unit"
    changes=$((changes + 1))
    units_changed=1
  fi
done

# 6. systemd: reload what changed, enable this host's processes.
if [[ $units_changed -eq 1 ]]; then
  run "$systemctl" daemon-reload
fi
for unit in vaka.target $(for p in $processes; do echo "vaka@$p.service"; done); do
  if "$systemctl" is-enabled --quiet "$unit" 2>/dev/null; then
    say "$unit enabled"
  else
    run "$systemctl" enable "$unit"
  fi
done
if [[ $start -eq 1 ]]; then
  if [[ $upgraded -eq 1 || $units_changed -eq 1 ]]; then
    run "$systemctl" try-restart 'vaka@*.service'
  fi
  run "$systemctl" start vaka.target
fi

echo
if [[ $changes -eq 0 ]]; then
  echo "Nothing to change: Vaka $wheel_version is installed as it should be."
elif [[ $dry_run -eq 1 ]]; then
  echo "$changes change(s) would be made. Run again without --dry-run to make them."
else
  echo "$changes change(s) made."
fi
if [[ $start -eq 0 ]]; then
  cat <<EOF
Next: edit $env_file (VAKA_DATABASE_URL, VAKA_CIPHER_KEY, Temporal, SMTP), then
  sudo -u $service_user $venv/bin/vaka --env-file $env_file check
  sudo systemctl start vaka.target
EOF
  [[ $upgraded -eq 1 ]] && echo "Upgraded from $installed: sudo systemctl restart vaka.target"
fi
exit 0
