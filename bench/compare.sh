#!/usr/bin/env bash
# Builds the benchmark corpus with versus and with Hugo, alternately, several
# times each, and prints the median wall time, CPU time and peak RSS of each
# and the versus/Hugo ratios.
#
#   bench/compare.sh [-n "1000 10000"] [-r RUNS] [--warm] [--no-cards] [--hugo PATH]
#
# The corpus comes from bench/gencorpus (Node.js vs Python articles
# of ~8.5 KB with a table and a JavaScript and a Python block each); the Hugo
# side is bench/hugo-site, a minimal site doing the same job (TOC,
# highlighting with CSS classes, home, sections, tags, feeds, sitemap).
# Cold runs start without any versus cache; --warm keeps the cache between
# runs (nothing changes in between). --no-cards builds the corpus with
# `socialCards: false`, as Hugo makes no social cards: the like-for-like
# figure; without it versus also draws a 1200x630 PNG card per page.
# Needs /usr/bin/time and Debian's hugo.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
sizes="1000 10000"
runs=5
warm=0
cards=1
hugo=${HUGO:-hugo}
while [ $# -gt 0 ]; do
  case $1 in
    -n) sizes=$2; shift 2 ;;
    -r) runs=$2; shift 2 ;;
    --warm) warm=1; shift ;;
    --no-cards) cards=0; shift ;;
    --hugo) hugo=$2; shift 2 ;;
    *) echo "usage: $0 [-n \"1000 10000\"] [-r RUNS] [--warm] [--no-cards] [--hugo PATH]" >&2; exit 2 ;;
  esac
done
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
command -v "$hugo" >/dev/null || { echo "needs hugo (apt-get install hugo)" >&2; exit 2; }

work=${WORK:-/tmp/versus-bench}
mkdir -p "$work"
go build -o "$work/versus" ./cmd/versus

# measure LABEL CMD...: runs CMD under /usr/bin/time, appends "wall cpu rss_kb"
measure() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time.txt" >> "$out"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

printf "%-8s %-7s %10s %10s %10s\n" articles tool "wall s" "cpu s" "rss MB"
for n in $sizes; do
  corpus=$work/corpus-$n
  [ -d "$corpus/content" ] || "$root/bench/gencorpus" -n "$n" -o "$corpus" >/dev/null
  if [ $cards = 0 ]; then
    printf 'title: Benchmark corpus\nsocialCards: false\n' > "$corpus/site.yaml"
  else
    rm -f "$corpus/site.yaml"
  fi
  rm -f "$work/versus-$n.txt" "$work/hugo-$n.txt"
  rm -rf "$work/cache-$n"
  if [ $warm = 1 ]; then "$work/versus" generate --source "$corpus" --destination "$work/out-versus-$n" --cache-dir "$work/cache-$n" >/dev/null; fi
  for ((i = 0; i < runs; i++)); do
    [ $warm = 1 ] || rm -rf "$work/cache-$n"
    measure "$work/versus-$n.txt" "$work/versus" generate --source "$corpus" --destination "$work/out-versus-$n" --cache-dir "$work/cache-$n"
    rm -rf "$work/out-hugo-$n"
    measure "$work/hugo-$n.txt" "$hugo" --quiet --source "$root/bench/hugo-site" --contentDir "$corpus/content" -d "$work/out-hugo-$n"
  done
  for tool in versus hugo; do
    f=$work/$tool-$n.txt
    w=$(cut -d' ' -f1 "$f" | median); c=$(cut -d' ' -f2 "$f" | median); m=$(cut -d' ' -f3 "$f" | median)
    printf "%-8s %-7s %10s %10s %10.0f\n" "$n" "$tool" "$w" "$c" "$(echo "$m / 1024" | bc -l)"
    eval "${tool}_w=$w ${tool}_c=$c ${tool}_m=$m"
  done
  printf "%-8s %-7s %10.2f %10.2f %10.2f\n" "$n" "ratio" "$(echo "$versus_w / $hugo_w" | bc -l)" "$(echo "$versus_c / $hugo_c" | bc -l)" "$(echo "$versus_m / $hugo_m" | bc -l)"
  echo "$n articles: versus $(ls -R "$work/out-versus-$n" | grep -c . ) entries, hugo $(ls -R "$work/out-hugo-$n" | grep -c .) entries" >&2
done
