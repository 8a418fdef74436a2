#!/usr/bin/env bash
# The full screen's RSS at start and CPU while animating a ×1000 repeat,
# read from /proc with the program running in tmux at 120×40.
#
# Not run by CI. Run it by hand from anywhere in the repository:
#
#     bash docs/bench/screen.sh              # this tree against the two floors
#     BASE=main bash docs/bench/screen.sh    # and against a build of git rev main
#
# Needs: go, tmux, git (for BASE). For ROUNDS rounds, in turn: the glamour
# floor (testdata/glamourfloor), the stack floor (the same program built
# with the tags box, http, ssh and cli: it also links net/http, an SSH
# server and the command line, and draws a box character, as any build of
# putpost must) and each putpost build are started with a
# fresh state folder; after SETTLE seconds VmRSS is read. In putpost, enter
# closes the welcome, e focuses the request, ctrl+l clears it, and
# `PUT /accounts/42 {"balance":100} x1000` and enter start the repeat; the
# process's CPU ticks (user + system, /proc/PID/stat) over the next WINDOW
# seconds give its share of a core while the repeat runs (about 3 s) and
# the screen settles. Every tmux session is killed when its turn ends or
# the script exits.
#
# Knobs (environment): ROUNDS (3), SETTLE (1.5), WINDOW (3.5), BASE (none),
# FLOORS (none): more builds of the glamour floor, one per comma-separated
# tag set, space-separated, such as FLOORS="box box,http box,http,ssh" to
# see what each part of the stack adds; each is named by its tags.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
SETTLE=${SETTLE:-1.5}
WINDOW=${WINDOW:-3.5}
BASE=${BASE:-}
FLOORS=${FLOORS:-}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/putpost-screen.XXXXXX")
sess="putpost-screen-$$"
cleanup() {
	tmux kill-session -t "$sess" 2>/dev/null || true
	if [ -n "$BASE" ] && [ -d "$work/base-src" ]; then
		git -C "$repo" worktree remove --force "$work/base-src" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

(cd "$repo" && go build -o "$work/putpost" . && go build -o "$work/floor" ./testdata/glamourfloor &&
	go build -tags box,http,ssh,cli -o "$work/stack" ./testdata/glamourfloor)
names=(floor stack putpost)
for tags in $FLOORS; do
	(cd "$repo" && go build -tags "$tags" -o "$work/$tags" ./testdata/glamourfloor)
	names+=("$tags")
done
if [ -n "$BASE" ]; then
	git -C "$repo" worktree add --detach -q "$work/base-src" "$BASE"
	(cd "$work/base-src" && go build -o "$work/base" .)
	names+=(base)
fi
hz=$(getconf CLK_TCK)

# pid of the program tmux runs in the session (its only child).
program_pid() {
	local shell
	shell=$(tmux list-panes -t "$sess" -F '#{pane_pid}')
	echo "$shell"
}

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }

run_one() { # name → prints "rss cpu%"
	local name=$1 state="$work/state-$1" pid
	rm -rf "$state" && mkdir -p "$state"
	tmux new-session -d -s "$sess" -x 120 -y 40 \
		"exec env HOME=$state XDG_STATE_HOME=$state TERM=xterm-256color LANG=C.UTF-8 $work/$name"
	sleep "$SETTLE"
	pid=$(program_pid)
	local rss cpu=-
	rss=$(rss_mib "$pid")
	if [ "$name" = putpost ] || [ "$name" = base ]; then
		tmux send-keys -t "$sess" Enter && sleep 0.3
		tmux send-keys -t "$sess" e C-l && sleep 0.2
		tmux send-keys -t "$sess" -l 'PUT /accounts/42 {"balance":100} x1000' && sleep 0.2
		local t0 t1
		t0=$(ticks "$pid")
		tmux send-keys -t "$sess" Enter
		sleep "$WINDOW"
		t1=$(ticks "$pid")
		cpu=$(awk -v d=$((t1 - t0)) -v hz="$hz" -v w="$WINDOW" 'BEGIN {printf "%.1f", 100 * d / hz / w}')
		if ! tmux capture-pane -p -t "$sess" | grep -q 'sent ×1000'; then
			cpu="$cpu(unfinished)"
		fi
	fi
	tmux kill-session -t "$sess"
	echo "$rss $cpu"
}

printf '%-6s %-13s %9s %14s\n' round program "RSS MiB" "CPU % ×1000"
for r in $(seq 1 "$ROUNDS"); do
	for n in "${names[@]}"; do
		read -r rss cpu < <(run_one "$n")
		printf '%-6s %-13s %9s %14s\n' "$r" "$n" "$rss" "$cpu"
	done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
