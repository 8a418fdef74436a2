#!/usr/bin/env bash
# `putpost serve` against the net/http ceiling: a do-nothing Go handler
# (docs/bench/nethttp), over loopback, the server on CPU 0 and wrk on CPU 1.
#
# Not run by CI. Run it by hand from anywhere in the repository:
#
#     bash docs/bench/ceiling.sh
#
# Needs: go, wrk (Debian package `wrk`; installed with apt-get when missing,
# which needs root), taskset (util-linux) and two CPUs.
#
# For ROUNDS rounds it starts each server in turn on a free 127.0.0.1 port,
# warms it up, and drives GET /accounts/42 and PUT /accounts/42
# {"balance":100} with `wrk -t1 -c$CONNECTIONS -d$DURATION`. putpost runs as
# `putpost serve --fixture bank` with its line per exchange written to
# /dev/null. For every run it prints requests/s and the server's CPU time per
# request (from /proc/PID/stat, user + system), and at the end the medians and
# the ratios putpost ÷ net/http of both. The ratio of requests/s is the goal's
# figure; the CPU per request says the same with less noise when other jobs
# share the machine (a server that did not get its whole core shows fewer
# requests/s but the same CPU per request).
#
# Knobs (environment): ROUNDS (3), DURATION (5s), WARMUP (1s), CONNECTIONS (50).
# Every server is stopped when its turn ends or the script exits; every wait
# is bounded.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-1s}
CONNECTIONS=${CONNECTIONS:-50}
HOST=127.0.0.1

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/putpost-ceiling.XXXXXX")
# shellcheck source=servers.sh
. "$repo/docs/bench/servers.sh"

if ! command -v wrk >/dev/null; then
	apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi
command -v taskset >/dev/null || { echo "ceiling.sh: taskset (util-linux) is needed" >&2; exit 1; }
if (($(nproc) < 2)); then
	echo "ceiling.sh: needs two CPUs (server on one, wrk on the other)" >&2
	exit 1
fi

(cd "$repo" && go build -o "$work/putpost" . && go build -o "$work/nethttp" ./docs/bench/nethttp)
cat >"$work/put.lua" <<'EOF'
wrk.method = "PUT"
wrk.body = '{"balance":100}'
wrk.headers["Content-Type"] = "application/json"
EOF

# free_port: a port in 20000–59999 that nothing answers on (at most 100 tries).
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/$HOST/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	echo "ceiling.sh: no free port found" >&2
	exit 1
}

# start NAME: starts the server on CPU 0, waits (at most 5 s) until it answers.
start() {
	port=$(free_port)
	case $1 in
	putpost) taskset -c 0 "$work/putpost" serve --listen "$HOST:$port" --fixture bank >/dev/null 2>&1 & ;;
	nethttp) taskset -c 0 "$work/nethttp" "$HOST:$port" >/dev/null 2>&1 & ;;
	esac
	server_pid=$!
	for _ in $(seq 50); do
		if (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "ceiling.sh: $1 did not start" >&2
	exit 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# measure NAME METHOD: one wrk run; appends "NAME METHOD req/s us-per-req" to results.
measure() {
	local name=$1 method=$2 script=() t0 t1 rps
	[[ $method == PUT ]] && script=(-s "$work/put.lua")
	taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" "${script[@]}" "http://$HOST:$port/accounts/42" >/dev/null
	t0=$(cpu_ticks)
	rps=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"$DURATION" "${script[@]}" "http://$HOST:$port/accounts/42" | awk '/^Requests\/sec/ {print $2}')
	t1=$(cpu_ticks)
	local secs=${DURATION%s} hz
	hz=$(getconf CLK_TCK)
	us=$(awk -v t="$((t1 - t0))" -v hz="$hz" -v r="$rps" -v s="$secs" 'BEGIN {printf "%.1f", t / hz * 1e6 / (r * s)}')
	printf '%-8s %-4s %10s req/s %6s µs CPU/request\n' "$name" "$method" "$rps" "$us"
	echo "$name $method $rps $us" >>"$work/results"
}

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
	echo "-- round $round"
	for name in putpost nethttp; do
		start "$name"
		measure "$name" GET
		measure "$name" PUT
		stop_server
	done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
echo
printf '%-4s %14s %14s %8s %16s %16s %8s\n' method "putpost req/s" "net/http req/s" ratio "putpost µs CPU" "net/http µs CPU" ratio
for method in GET PUT; do
	pr=$(awk -v m="$method" '$1 == "putpost" && $2 == m {print $3}' "$work/results" | median)
	nr=$(awk -v m="$method" '$1 == "nethttp" && $2 == m {print $3}' "$work/results" | median)
	pc=$(awk -v m="$method" '$1 == "putpost" && $2 == m {print $4}' "$work/results" | median)
	nc=$(awk -v m="$method" '$1 == "nethttp" && $2 == m {print $4}' "$work/results" | median)
	awk -v m="$method" -v pr="$pr" -v nr="$nr" -v pc="$pc" -v nc="$nc" \
		'BEGIN {printf "%-4s %14.0f %14.0f %7.2f× %16.1f %16.1f %7.2f×\n", m, pr, nr, pr / nr, pc, nc, nc / pc}'
done
echo "(medians of $ROUNDS rounds; ratio of CPU is net/http's CPU per request ÷ putpost's, so both ratios read as 'putpost reaches this much of the ceiling')"
