#!/usr/bin/env bash
# Until the orchestrator lands: the emulator (when no Azure endpoint is set), the products service, the store.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
EMULATOR_PORT=${EMULATOR_PORT:-8089}
export PRODUCTS_PORT=${PRODUCTS_PORT:-8081}
export PRODUCTS_SEED_IF_EMPTY=${PRODUCTS_SEED_IF_EMPTY:-true}
export STORE_PORT=${STORE_PORT:-8080}
export PRODUCTS_URL=${PRODUCTS_URL:-http://127.0.0.1:$PRODUCTS_PORT}
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

wait_ready() { # name url pid
  for _ in $(seq 1 600); do
    curl -fsS "$2" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { echo "$1 exited before it was ready" >&2; exit 1; }
    sleep 0.5
  done
  echo "$1 was not ready after 300 s" >&2; exit 1
}

if [ -z "${AZURE_OPENAI_ENDPOINT:-}" ] && [ -z "${ConnectionStrings__openai:-}" ]; then
  EMULATOR_PORT=$EMULATOR_PORT $PY -m orchestrator.emulators.azure_openai &
  pids+=($!)
  wait_ready "emulator" "http://127.0.0.1:$EMULATOR_PORT/ready" "${pids[-1]}"
  export AZURE_OPENAI_ENDPOINT="http://127.0.0.1:$EMULATOR_PORT"
  export AZURE_OPENAI_API_KEY=${AZURE_OPENAI_API_KEY:-local-emulator-key}
fi
$PY -m products_service &
pids+=($!)
wait_ready "products service" "http://127.0.0.1:$PRODUCTS_PORT/ready" "${pids[-1]}"
$PY -m store_realtime &
pids+=($!)
wait_ready "store" "http://127.0.0.1:$STORE_PORT/ready" "${pids[-1]}"
echo
echo "  Store page        http://127.0.0.1:$STORE_PORT/"
echo "  Products API      http://127.0.0.1:$PRODUCTS_PORT/docs"
[ -n "${pids[1]:-}" ] && echo "  Emulator          http://127.0.0.1:$EMULATOR_PORT/health"
echo "  Staff key         data/staff.key (header X-Staff-Key)"
echo "  Ctrl-C stops everything."
wait -n "${pids[@]}"
