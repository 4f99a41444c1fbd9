#!/usr/bin/env bash
# Runs the cluster topology as local processes: a throwaway PostgreSQL, 2 silos and 2 gateways.
#   deploy/local-cluster.sh start [config.yaml]   start everything (imports config.yaml and its auth-dir on first start)
#   deploy/local-cluster.sh stop                  stop everything and delete the state folder
#   deploy/local-cluster.sh status                list the processes
# Environment: PG_URL (use an existing database instead of a throwaway one), STATE (default ./.local-cluster:
# PostgreSQL data, node logs, pids, the connection string), GATEWAY_PORTS (default "8317 8318"), SILOS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."
STATE=${STATE:-$PWD/.local-cluster}
GATEWAY_PORTS=${GATEWAY_PORTS:-"8317 8318"}
SILOS=${SILOS:-2}

# PostgreSQL comes from the shared harness (tests/CliProxy.Harness, the same code as the tests' and the
# benchmark's): initdb + pg_ctl on a free loopback port in $STATE/pg; prints the connection string.
harness() { dotnet tests/CliProxy.Harness/bin/Release/net10.0/CliProxy.Harness.dll "$@"; }

start() {
  local config=${1:-}
  [ -e "$STATE/pids" ] && { echo "already running (deploy/local-cluster.sh stop)"; exit 1; }
  mkdir -p "$STATE"
  echo "building (dotnet build Orleans.sln -c Release) ..."
  dotnet build Orleans.sln -c Release -v q >/dev/null
  local pg; pg=${PG_URL:-$(harness postgres start "$STATE/pg")} # split from "local" so that set -e sees a failed start
  echo "$pg" > "$STATE/connection"
  export CLIPROXY_Cluster__ConnectionString="$pg" CLIPROXY_Cluster__AdvertisedAddress=127.0.0.1
  dotnet src/Silo/bin/Release/net10.0/CliProxy.Silo.dll migrate
  local import=()
  [ -n "$config" ] && import=(--Cluster:ImportConfig="$(realpath "$config")")
  for i in $(seq 1 "$SILOS"); do
    dotnet src/Silo/bin/Release/net10.0/CliProxy.Silo.dll run --Cluster:SiloPort=$((11110 + i)) --Cluster:GatewayPort=$((30000 + i)) \
      --Cluster:Migrate=false "${import[@]}" >"$STATE/silo$i.log" 2>&1 &
    echo $! >> "$STATE/pids"
    import=()
  done
  for port in $GATEWAY_PORTS; do
    dotnet src/Gateway/bin/Release/net10.0/CliProxy.Gateway.dll --Cluster:Mode=client --Http:Port="$port" >"$STATE/gateway$port.log" 2>&1 &
    echo $! >> "$STATE/pids"
  done
  for port in $GATEWAY_PORTS; do
    local ready=0
    for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && { ready=1; break; }; sleep 0.5; done
    [ "$ready" = 1 ] || { echo "gateway $port not ready after 60 s, see $STATE/gateway$port.log" >&2; exit 1; }
    echo "gateway http://127.0.0.1:$port $(curl -s "http://127.0.0.1:$port/readyz")"
  done
  echo "PostgreSQL: $pg"
}

stop() {
  if [ -e "$STATE/pids" ]; then
    # Gateways were started last: stop them first, then the silos (while PostgreSQL still runs),
    # wait for each to exit, and kill what is still alive after 45 s.
    tac "$STATE/pids" | while read -r pid; do kill "$pid" 2>/dev/null || true; done
    for _ in $(seq 1 90); do
      alive=$(while read -r pid; do if kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi; done < "$STATE/pids")
      [ -z "$alive" ] && break
      sleep 0.5
    done
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$STATE/pids"
  fi
  if [ -d "$STATE/pg" ]; then harness postgres stop "$STATE/pg" || true; fi
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  status) [ -e "$STATE/pids" ] && ps -o pid,args -p "$(paste -sd, "$STATE/pids")" || echo "not running" ;;
  *) sed -n '2,8p' "$0"; exit 2 ;;
esac
