#!/usr/bin/env bash
# Loopback throughput: `putpost serve` against json-server, driven by wrk.
#
# Not run by CI. Run it by hand from anywhere in the repository:
#
#     bash docs/bench/loopback.sh
#
# What it does, in order:
#   1. builds putpost from this checkout into a temporary directory (or copies $PUTPOST);
#   2. installs what is missing: wrk (Debian package, `apt-get install -y wrk`, needs
#      root) and json-server $JSON_SERVER_VERSION from the npm registry into the
#      temporary directory (never globally);
#   3. starts, one at a time and each on a free port of 127.0.0.1:
#        - putpost serve --fixture bank          (/accounts/42 = {"balance":80.00}, /customers empty)
#        - json-server on db.json                (its usual mode: rewrites the file after each change)
#        - json-server on db.js                  (in-memory: its fastest mode, the fair rival)
#        - a bare Go net/http handler that answers a fixed body (no state, no events): the
#          ceiling any Go net/http server can reach on this machine with this load generator
#      with the same data (accounts/42 and an empty customers collection);
#   4. for each server: a short warm-up, then wrk for $DURATION with $THREADS threads and
#      $CONNECTIONS connections on GET /accounts/42 and PUT /accounts/42 {"balance":100};
#      then POST /customers {"name":"Joe",...} bounded to $POST_BUDGET requests (or
#      $DURATION, whichever comes first), because every POST creates a resource and the
#      sim answers 507 Insufficient Storage past 10,000 resources. The POST rate is
#      computed from the time the budget took, and the 201/507/other counts are printed;
#   5. prints a table of requests/s and the ratio putpost ÷ the faster json-server mode
#      (and, for scale, the bare net/http ceiling ÷ the same).
#
# Every server is stopped when its turn ends or the script exits (trap on EXIT/INT/TERM) and
# the temporary directory is removed. Only loopback addresses are used; every wait loop is
# bounded in time.
#
# Knobs (environment): DURATION (default 10s), WARMUP (2s), THREADS (2), CONNECTIONS (50),
# PIN (0; 1 runs the server on CPU 0 and wrk on CPU 1 with taskset, THREADS then defaults to 1),
# BASELINE (1; 0 skips the bare net/http run), VERBOSE (set: print every wrk report),
# PUTPOST (a putpost binary to use instead of building this checkout),
# POST_BUDGET (9000, must stay under the sim's 10,000-resource cap), JSON_SERVER_VERSION
# (0.17.4: the last stable release line, the one most people use; 1.x is still beta).
#
# The load generator runs on the same machine as the server under test and competes with it
# for the CPU: the numbers are indicative, the ratio is what matters. See docs/BENCHMARKS.md.
set -euo pipefail

DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-2s}
PIN=${PIN:-0}
THREADS=${THREADS:-$((PIN == 1 ? 1 : 2))}
CONNECTIONS=${CONNECTIONS:-50}
POST_BUDGET=${POST_BUDGET:-9000}
JSON_SERVER_VERSION=${JSON_SERVER_VERSION:-0.17.4}
HOST=127.0.0.1

# PIN=1: the server under test on CPU 0 and wrk on CPU 1 (one core each).
server_cpu=() wrk_cpu=()
if [[ $PIN == 1 ]]; then
	server_cpu=(taskset -c 0) wrk_cpu=(taskset -c 1)
fi

if ((POST_BUDGET + CONNECTIONS >= 10000)); then
	echo "loopback.sh: POST_BUDGET + CONNECTIONS must stay under the sim's 10,000-resource cap" >&2
	exit 2
fi

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/putpost-bench.XXXXXX")
# shellcheck source=servers.sh
. "$repo/docs/bench/servers.sh"

say() { printf '== %s\n' "$*" >&2; }

# --- 1. build -------------------------------------------------------------------------
if [[ -n ${PUTPOST:-} ]]; then
	say "using $PUTPOST"
	cp "$PUTPOST" "$work/putpost"
else
	say "building putpost"
	(cd "$repo" && go build -o "$work/putpost" .) || {
		echo "loopback.sh: putpost does not build; fix that, or point PUTPOST at a binary" >&2
		exit 1
	}
fi

servers="putpost json-file json-memory"
if [[ ${BASELINE:-1} != 0 ]]; then
	servers+=" nethttp"
	say "building the bare net/http baseline"
	(cd "$repo" && go build -o "$work/nethttp-server" ./docs/bench/nethttp)
fi

# --- 2. tools -------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
	say "installing wrk (apt-get)"
	if ! apt-get install -y wrk >/dev/null 2>&1; then
		apt-get update >/dev/null
		apt-get install -y wrk >/dev/null
	fi
fi
for tool in node npm curl; do
	command -v "$tool" >/dev/null || {
		echo "loopback.sh: $tool is needed (Debian: apt-get install -y nodejs npm curl)" >&2
		exit 1
	}
done
say "installing json-server@$JSON_SERVER_VERSION into $work/js"
mkdir -p "$work/js"
(cd "$work/js" && npm install --no-audit --no-fund --loglevel=error "json-server@$JSON_SERVER_VERSION" >/dev/null)
json_server="$work/js/node_modules/json-server/lib/cli/bin.js"

# --- data and wrk scripts -------------------------------------------------------------
cat >"$work/db.json" <<'EOF'
{ "accounts": [ { "id": 42, "balance": 80.00 } ], "customers": [] }
EOF
cat >"$work/db.js" <<'EOF'
module.exports = () => ({ accounts: [{ id: 42, balance: 80.0 }], customers: [] });
EOF

cat >"$work/put.lua" <<'EOF'
wrk.method = "PUT"
wrk.body = '{"balance":100}'
wrk.headers["Content-Type"] = "application/json"
EOF

# POST stops each thread after its share of the budget. wrk itself would divide by the whole
# -d duration, so the rate is computed here from a monotonic clock (LuaJIT FFI).
cat >"$work/post.lua" <<'EOF'
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk, bench_timespec *tp);
]]
local function now()
	local ts = ffi.new("bench_timespec")
	ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
	return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

wrk.method = "POST"
wrk.body = '{"name":"Joe","age":"29","city":"ajax"}'
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	budget = tonumber(args[1])
	created, full, other = 0, 0, 0
	t0 = now()
	t1 = 0
end

function response(status, headers, body)
	if status == 201 then
		created = created + 1
	elseif status == 507 then
		full = full + 1
	else
		other = other + 1
	end
	if t1 == 0 and created + full + other >= budget then
		t1 = now()
		wrk.thread:stop()
	end
end

function done(summary, latency, requests)
	local c, f, o, first, last = 0, 0, 0, math.huge, 0
	local finished = now()
	for _, t in ipairs(threads) do
		c = c + t:get("created")
		f = f + t:get("full")
		o = o + t:get("other")
		first = math.min(first, t:get("t0"))
		local e = t:get("t1")
		if e == 0 then e = finished end -- the duration ran out first
		last = math.max(last, e)
	end
	io.write(string.format("POST-RESULT created=%d insufficient=%d other=%d seconds=%.3f rps=%.0f\n",
		c, f, o, last - first, (c + f + o) / (last - first)))
end
EOF

# --- servers --------------------------------------------------------------------------
free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

wait_ready() { # url; 15 s at most
	local url=$1
	for _ in $(seq 150); do
		curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "loopback.sh: server did not answer $url" >&2
	return 1
}

start_server() { # name port
	local name=$1 port=$2
	case $name in
	putpost)
		"${server_cpu[@]}" "$work/putpost" serve --listen "$HOST:$port" --fixture bank >/dev/null 2>"$work/$name.err" </dev/null &
		;;
	json-file)
		cp "$work/db.json" "$work/run-db.json"
		(cd "$work" && exec "${server_cpu[@]}" node "$json_server" --quiet --host "$HOST" --port "$port" run-db.json) \
			>/dev/null 2>"$work/$name.err" </dev/null &
		;;
	json-memory)
		(cd "$work" && exec "${server_cpu[@]}" node "$json_server" --quiet --host "$HOST" --port "$port" db.js) \
			>/dev/null 2>"$work/$name.err" </dev/null &
		;;
	nethttp)
		"${server_cpu[@]}" "$work/nethttp-server" "$HOST:$port" >/dev/null 2>"$work/$name.err" </dev/null &
		;;
	esac
	server_pid=$!
	wait_ready "http://$HOST:$port/accounts/42"
}

# run_wrk out-file duration url [-s script.lua [-- script args]]: wrk's report into out-file
run_wrk() {
	local out=$1 dur=$2 url=$3
	shift 3
	"${wrk_cpu[@]}" wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$dur" "$url" "$@" >"$out" 2>&1
}
rps_of() { awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$1"; }
non2xx_of() { awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /,"",$2); print $2}' "$1"; }

declare -A result note
for name in $servers; do
	port=$(free_port)
	say "$name on $HOST:$port"
	start_server "$name" "$port"
	base="http://$HOST:$port"

	run_wrk "$work/$name-warmup.txt" "$WARMUP" "$base/accounts/42"
	run_wrk "$work/$name-get.txt" "$DURATION" "$base/accounts/42"
	run_wrk "$work/$name-warmup-put.txt" "$WARMUP" "$base/accounts/42" -s "$work/put.lua"
	run_wrk "$work/$name-put.txt" "$DURATION" "$base/accounts/42" -s "$work/put.lua"
	per_thread=$(((POST_BUDGET + THREADS - 1) / THREADS))
	run_wrk "$work/$name-post.txt" "$DURATION" "$base/customers" -s "$work/post.lua" -- "$per_thread"

	for op in get put; do
		result[$name-$op]=$(rps_of "$work/$name-$op.txt")
		bad=$(non2xx_of "$work/$name-$op.txt")
		note[$name-$op]=${bad:+"$bad non-2xx"}
		say "$name ${op^^}: ${result[$name-$op]} req/s ${note[$name-$op]}"
	done
	line=$(grep '^POST-RESULT' "$work/$name-post.txt" || true)
	if [[ -z $line ]]; then
		cat "$work/$name-post.txt" >&2
		result[$name-post]=0
	else
		result[$name-post]=${line##*rps=}
		note[$name-post]=${line#POST-RESULT }
	fi
	say "$name POST: ${result[$name-post]} req/s (${note[$name-post]})"
	if [[ -n ${VERBOSE:-} ]]; then cat "$work/$name"-{get,put,post}.txt >&2; fi
	stop_server
done

# --- table ----------------------------------------------------------------------------
pinned=""
if [[ $PIN == 1 ]]; then pinned=", server pinned to CPU 0 and wrk to CPU 1"; fi
printf '\nputpost %s vs json-server %s: wrk -t%s -c%s -d%s on %s, %s CPU(s)%s, load average %s\n\n' \
	"$(cd "$repo" && git describe --always --dirty 2>/dev/null || echo '?')" "$JSON_SERVER_VERSION" \
	"$THREADS" "$CONNECTIONS" "$DURATION" "$HOST" "$(nproc)" "$pinned" "$(cut -d' ' -f1-3 /proc/loadavg)"
row() { printf '| %-26s | %13s | %16s | %18s | %7s | %15s |\n' "$@"; }
row request "putpost req/s" "json-server file" "json-server memory" ratio "bare net/http"
printf '|%s|%s:|%s:|%s:|%s:|%s:|\n' "$(printf -- '-%.0s' {1..28})" "$(printf -- '-%.0s' {1..14})" \
	"$(printf -- '-%.0s' {1..17})" "$(printf -- '-%.0s' {1..19})" "$(printf -- '-%.0s' {1..8})" \
	"$(printf -- '-%.0s' {1..16})"
ratio_of() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "n/a" }'; }
for op in get put post; do
	case $op in
	get) label="GET /accounts/42" ;;
	put) label="PUT /accounts/42" ;;
	post) label="POST /customers (<=$POST_BUDGET)" ;;
	esac
	p=${result[putpost-$op]} f=${result[json-file-$op]} m=${result[json-memory-$op]}
	best=$((f > m ? f : m))
	ceiling="-"
	if [[ -n ${result[nethttp-$op]:-} ]]; then
		ceiling="${result[nethttp-$op]} ($(ratio_of "${result[nethttp-$op]}" "$best"))"
	fi
	row "$label" "$p" "$f" "$m" "$(ratio_of "$p" "$best")" "$ceiling"
done
printf '\nratio = putpost / the faster json-server mode; bare net/http = its req/s (and the same ratio).\n'
for name in $servers; do
	for op in get put post; do
		if [[ -n ${note[$name-$op]:-} ]]; then printf '%s %s: %s\n' "$name" "${op^^}" "${note[$name-$op]}"; fi
	done
done
exit 0
