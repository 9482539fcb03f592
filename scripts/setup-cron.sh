#!/usr/bin/env bash
# Installs the seed system's schedule into the current user's crontab, calling the CLI with logs.
# Use this OR the systemd timer OR ENABLE_SELF_IMPROVEMENT=true in the server, not several at once:
# cron runs on one machine only; the server's own schedule claims each slot across replicas.
#   scripts/setup-cron.sh [--dry-run]    (APP_DIR, LOG_DIR and NODE override the defaults)
set -euo pipefail
APP_DIR="${APP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
LOG_DIR="${LOG_DIR:-/var/log/improvement-loop}"
NODE="${NODE:-$(command -v node)}"
CLI="cd ${APP_DIR} && ${NODE} bin/improvement-loop.js"
MARK="# improvement-loop"

entries=$(cat <<CRON
0 2 * * * ${CLI} cycle --type=daily >> ${LOG_DIR}/daily.log 2>> ${LOG_DIR}/daily-error.log ${MARK}
0 6 * * 1 ${CLI} cycle --type=weekly >> ${LOG_DIR}/weekly.log 2>> ${LOG_DIR}/weekly-error.log ${MARK}
0 8 1 * * ${CLI} cycle --type=monthly >> ${LOG_DIR}/monthly.log 2>> ${LOG_DIR}/monthly-error.log ${MARK}
30 * * * * ${CLI} auto-execute >> ${LOG_DIR}/auto-execute.log 2>> ${LOG_DIR}/auto-execute-error.log ${MARK}
CRON
)

if [ "${1:-}" = "--dry-run" ]; then
  printf '%s\n' "$entries"
  exit 0
fi
mkdir -p "$LOG_DIR"
# Replace our earlier lines, keep everyone else's.
{ crontab -l 2>/dev/null | grep -v "${MARK}$" || true; printf '%s\n' "$entries"; } | crontab -
echo "Installed $(printf '%s\n' "$entries" | wc -l) improvement-loop cron entries; logs in ${LOG_DIR}"
