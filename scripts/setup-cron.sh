#!/usr/bin/env bash
# Installs the seed's schedule into the current user's crontab, for a machine that runs the CLI but no
# server. A server started with ENABLE_SELF_IMPROVEMENT=true (scripts/improvement-loop.service and
# compose.yaml do so) runs every job itself, the digest included; do not use both: cron runs on one
# machine, and its cycles do not claim the server's slots.
#
#   scripts/setup-cron.sh [--dry-run] [--env-file PATH]
#
# Cron starts its jobs with an almost empty environment, so every line first sources one settings
# file, ENV_FILE (default /etc/improvement-loop/env, the file the systemd unit reads too). When that
# file does not exist it is written (mode 600) from the settings exported in this shell (the names of
# .env.example), with DATA_DIR (default /var/lib/improvement-loop) and ENABLE_SELF_IMPROVEMENT=false;
# an existing file is used as it is, and must name DATA_DIR, or cron would use another store.
# The crons are SCHEDULE_DAILY, SCHEDULE_WEEKLY, SCHEDULE_MONTHLY and SCHEDULE_AUTO_EXECUTE from that
# file (the server's defaults otherwise), in the machine's time zone. The digest has no CLI command:
# it is posted only by the server, and the crontab says so in a comment.
# --dry-run prints the crontab lines (and the settings file it would write, values hidden) and
# changes nothing. APP_DIR, LOG_DIR and NODE override where the code, the logs and node are.
set -euo pipefail

APP_DIR="${APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
LOG_DIR="${LOG_DIR:-/var/log/improvement-loop}"
NODE="${NODE:-$(command -v node)}"
ENV_FILE="${ENV_FILE:-/etc/improvement-loop/env}"
DRY_RUN=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --env-file) ENV_FILE="${2:?--env-file needs a path}"; shift ;;
    --env-file=*) ENV_FILE="${1#--env-file=}" ;;
    *) echo "setup-cron.sh: unknown argument $1 (use --dry-run, --env-file PATH)" >&2; exit 2 ;;
  esac
  shift
done

# Paths go into crontab lines unquoted: cron treats % as a newline, and a space would split a word.
for path_value in "$APP_DIR" "$LOG_DIR" "$NODE" "$ENV_FILE"; do
  if ! [[ "$path_value" =~ ^/[A-Za-z0-9_./-]+$ ]]; then
    echo "setup-cron.sh: '$path_value' must be an absolute path of letters, digits, _ . / and - only" >&2
    exit 2
  fi
done

# Every setting the service knows, from .env.example (generated from src/config.ts).
if [ ! -r "$APP_DIR/.env.example" ]; then
  echo "setup-cron.sh: $APP_DIR/.env.example is missing: APP_DIR must be the improvement-loop checkout" >&2
  exit 2
fi
config_names() {
  sed -nE 's/^(# )?([A-Z][A-Z0-9_]*)=.*/\2/p' "$APP_DIR/.env.example" | sort -u
}

# One setting, quoted for sh and systemd alike; `hide` prints where the value comes from instead.
setting() {
  local name="$1" value="$2" hide="$3"
  if [[ "$value" == *"'"* || "$value" == *$'\n'* || "$value" == *'$'* || "$value" == *'\'* ]]; then
    echo "setup-cron.sh: $name holds a quote, a newline, a \$ or a backslash; write it into $ENV_FILE by hand" >&2
    return 2
  fi
  if [ "$hide" = hide ]; then echo "$name=<from this shell>"; else echo "$name='$value'"; fi
}

# The settings file for a first install: DATA_DIR, the scheduler off, and this shell's settings.
env_file_text() {
  local hide="$1" name
  echo "# improvement-loop settings, read by cron (scripts/setup-cron.sh), the CLI and the systemd unit."
  echo "# One NAME=value a line; quote values with spaces in single quotes."
  setting DATA_DIR "${DATA_DIR:-/var/lib/improvement-loop}" show || return
  echo "# cron runs the schedule on this machine: a server reading this file must not run it too."
  echo "ENABLE_SELF_IMPROVEMENT=false"
  for name in $(config_names); do
    case "$name" in DATA_DIR | ENABLE_SELF_IMPROVEMENT) continue ;; esac
    [ -n "${!name-}" ] || continue
    setting "$name" "${!name}" "$hide" || return
  done
}

if [ -e "$ENV_FILE" ]; then
  if ! grep -qE '^[[:space:]]*(export[[:space:]]+)?DATA_DIR=' "$ENV_FILE"; then
    echo "setup-cron.sh: $ENV_FILE does not set DATA_DIR; add the folder the server uses, e.g. DATA_DIR=/var/lib/improvement-loop" >&2
    exit 1
  fi
  settings_source="$ENV_FILE"
  env_note="Using the settings in $ENV_FILE"
elif [ "$DRY_RUN" = true ]; then
  settings_source=/dev/null
  env_note="Would write $ENV_FILE"
else
  mkdir -p "$(dirname "$ENV_FILE")"
  # Written whole or not at all: a refused value leaves no half-written file behind.
  text=$(env_file_text show)
  (umask 077 && printf '%s\n' "$text" > "$ENV_FILE.tmp" && mv "$ENV_FILE.tmp" "$ENV_FILE")
  settings_source="$ENV_FILE"
  env_note="Wrote $ENV_FILE from this shell's settings"
fi

# The crons, as the server would read them: from the settings file, else this shell, else the defaults.
read_cron() {
  local name="$1" fallback="$2"
  (set -a && . "$settings_source" && printf '%s' "${!name:-$fallback}")
}
DAILY=$(read_cron SCHEDULE_DAILY '0 2 * * *')
WEEKLY=$(read_cron SCHEDULE_WEEKLY '0 6 * * 1')
MONTHLY=$(read_cron SCHEDULE_MONTHLY '0 8 1 * *')
HOURLY=$(read_cron SCHEDULE_AUTO_EXECUTE '30 * * * *')
WATCH=$(read_cron SCHEDULE_REGRESSION_WATCH '5 * * * *')
for cron in "$DAILY" "$WEEKLY" "$MONTHLY" "$HOURLY"; do
  read -ra fields <<<"$cron"
  if [[ "$cron" == *%* || ${#fields[@]} -ne 5 ]]; then
    echo "setup-cron.sh: '$cron' is not a five-field cron (six-field crons with seconds run only in the server)" >&2
    exit 2
  fi
done

MARK="# improvement-loop"
# Each line sources the settings, then runs the CLI; its output and errors (a missing settings file
# included) go to the job's own logs.
line() {
  local cron="$1" job="$2" command="$3" log="$4"
  echo "${cron} { set -a && . ${ENV_FILE} && set +a && cd ${APP_DIR} && ${NODE} bin/improvement-loop.js ${command}; } >> ${LOG_DIR}/${log}.log 2>> ${LOG_DIR}/${log}-error.log ${MARK}:${job}"
}
entries=$(
  line "$DAILY" daily-analysis 'cycle --type=daily' daily
  line "$WEEKLY" weekly-proposals 'cycle --type=weekly' weekly
  line "$MONTHLY" monthly-refactoring 'cycle --type=monthly' monthly
  line "$HOURLY" hourly-auto-execution auto-execute auto-execute
  line "$WATCH" regression-watch 'cycle --type=regression-watch' regression-watch
  echo "# daily-digest: no CLI command; only a server with ENABLE_SELF_IMPROVEMENT=true posts it ${MARK}:daily-digest"
)

if [ "$DRY_RUN" = true ]; then
  printf '%s\n' "$entries"
  echo "${env_note}" >&2
  [ -e "$ENV_FILE" ] || env_file_text hide | sed 's/^/  /' >&2
  exit 0
fi
mkdir -p "$LOG_DIR"
# Replace our earlier lines (tagged, or with the bare mark of older versions), keep everyone else's.
{
  crontab -l 2>/dev/null | grep -Ev "${MARK}(:[a-z-]+)?$" || true
  printf '%s\n' "$entries"
} | crontab -
echo "${env_note}. Installed $(grep -vc '^#' <<<"$entries") improvement-loop cron entries; logs in ${LOG_DIR}"
