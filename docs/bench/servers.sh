# Sourced by the loopback scripts (not run on its own): one server under test
# at a time, in $server_pid, and a temporary folder in $work, both removed
# however the script ends.
#
# The sourcing script sets work (a folder to remove at exit) first.

server_pid=""

# stop_server stops the server under test: SIGTERM, a bounded wait of 5 s,
# then SIGKILL.
stop_server() {
	if [[ -n $server_pid ]]; then
		kill "$server_pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
}

# shellcheck disable=SC2317 # called by the trap
cleanup() {
	stop_server
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
