#!/usr/bin/env bash
# Measures incremental generate on the benchmark corpus: one cold build
# (empty cache), then a first body edit, a body edit, a title edit and a new
# article, each followed by one timed `versus generate`, and finally
# `generate --full`.
# Prints wall time, CPU time (user + system) and peak RSS of each run.
#
#   bench/incremental.sh [-n ARTICLES]
#
# The corpus is made in $WORK (default /tmp/versus-incbench) and edited in
# place; delete the folder to start again. Needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=10000
if [ "${1:-}" = -n ]; then n=$2; fi
work=${WORK:-/tmp/versus-incbench}
mkdir -p "$work"
go build -o "$work/versus" ./cmd/versus
corpus=$work/corpus-$n
[ -d "$corpus/content" ] || bench/gencorpus -n "$n" -o "$corpus" >/dev/null
rm -rf "$work/cache" "$work/out"
run() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$work/versus" generate --source "$corpus" \
    --destination "$work/out" --cache-dir "$work/cache" --verbose "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" ||
    { cat "$work/stderr.txt" >&2; exit 1; }
  local how
  how=$(grep -o '^[a-z]* build[^;]*' "$work/stdout.txt" || true)
  awk -v l="$label" -v h="$how" '{printf "%-14s %8.2f s wall %8.2f s cpu %6d MB  %s\n", l, $1, $2 + $3, $4 / 1024, h}' "$work/time.txt"
}
f=$corpus/content/posts/$(printf %05d $((n / 2))).md
new=$corpus/content/posts/$(printf %05d $((n + 1))).md
rm -f "$new" # added by an earlier run
run cold
# The first build after a cold one stages a whole new output folder: a cold
# build leaves no older output to recycle (docs/incremental.md).
sed -i '0,/^## /s/^## \(.*\)$/## \1 edited/' "$f"
run "first edit"
sed -i '0,/^## /s/^## \(.*\)$/## \1 again/' "$f"
run "body edit"
sed -i 's/^title: \(.*\)"$/title: \1 (edited)"/' "$f"
run "title edit"
sed 's/^title: .*/title: "A new article"/' "$f" >"$new"
run "new article"
run "--full" --full
