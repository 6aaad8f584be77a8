#!/bin/bash
# The command line at scale (issue 5, items 2-4): single-thread MB/s, the
# -j 2 speedup with byte-identical output, linearity, and peak RSS on 1 GB of
# text and on one million JSONL documents, each as a whole process measured
# by /usr/bin/time. Prints a Markdown table.
#
# Usage: tests/bench/cli_bench.sh [BUILD_DIR] [WORK_DIR]
#   BUILD_DIR  default build (needs build/krfx and build/tests/bench/krfx_bench)
#   WORK_DIR   default /tmp/krfx-cli-bench: about 4 GB of corpora and outputs
# ROUNDS (default 3) runs of each timing, interleaved, the fastest counts.
# SKIP_BIG=1 leaves out the 1 GB and one-million-document runs.
set -euo pipefail
build=${1:-build}
work=${2:-/tmp/krfx-cli-bench}
rounds=${ROUNDS:-3}
krfx=$build/krfx
bench=$build/tests/bench/krfx_bench
mkdir -p "$work"

corpus() {  # corpus FILE ARGS...: writes it once
  [[ -s $1 ]] || "$bench" "${@:2}" >/dev/null 2>&1
}
corpus "$work/news25.jsonl" --mb 25 --write "$work/news25.jsonl"
corpus "$work/news100.jsonl" --mb 100 --write "$work/news100.jsonl"

# run NAME COMMAND...: one timed run; appends "seconds peak_kb" to $work/NAME.
run() {
  local name=$1
  shift
  /usr/bin/time -o "$work/time.tmp" -f "%e %M" "$@"
  tail -1 "$work/time.tmp" >>"$work/$name"
}
best() { sort -n "$work/$1" | head -1 | cut -d' ' -f1; }  # fastest seconds
peak() { sort -n -k2 "$work/$1" | tail -1 | cut -d' ' -f2; }  # largest KB
mbps() { awk -v mb="$1" -v s="$2" 'BEGIN { printf "%.1f", mb / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

rm -f "$work"/t_*
for ((r = 0; r < rounds; r++)); do
  run t_j1 bash -c "'$krfx' extract --format jsonl -j 1 --quiet '$work/news100.jsonl' >'$work/out_j1.jsonl'"
  run t_j2 bash -c "'$krfx' extract --format jsonl -j 2 --quiet '$work/news100.jsonl' >'$work/out_j2.jsonl'"
  run t_q1 bash -c "'$krfx' extract --format jsonl -j 1 --quiet '$work/news25.jsonl' >/dev/null"
done
identical=no
cmp -s "$work/out_j1.jsonl" "$work/out_j2.jsonl" && identical=yes
mb100=100.0  # MB of text in news100.jsonl (the file holds JSON around it)
j1=$(best t_j1) j2=$(best t_j2) q1=$(best t_q1) h1=$j1

echo "| measurement | result |"
echo "|---|---|"
echo "| extract --format jsonl, 100 MB of text in 19,293 JSONL documents, -j 1 | $(mbps $mb100 "$j1") MB/s ($j1 s, peak RSS $(($(peak t_j1) / 1024)) MiB) |"
echo "| same, -j 2 | $(mbps $mb100 "$j2") MB/s ($j2 s, peak RSS $(($(peak t_j2) / 1024)) MiB) |"
echo "| speedup -j 2 over -j 1 | $(ratio "$j1" "$j2")x; output identical: $identical |"
echo "| linearity, -j 1: 100 MB time / 25 MB time | $(ratio "$h1" "$q1") (ideal 4.00; $q1 s and $h1 s) |"

if [[ ${SKIP_BIG:-} != 1 ]]; then
  corpus "$work/news1000.txt" --mb 1000 --write-text "$work/news1000.txt"
  # One million short documents: the first million non-blank lines of the
  # text corpus (headlines, paragraphs, bylines), one JSONL document each.
  if [[ ! -s $work/short1m.jsonl ]]; then
    awk 'NF { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/\r/, "\\r");
              printf "{\"id\":\"p%d\",\"text\":\"%s\"}\n", ++n, $0; if (n == 1000000) exit }' \
      "$work/news1000.txt" >"$work/short1m.jsonl"
  fi
  rm -f "$work"/b_*
  run b_text bash -c "'$krfx' extract --format jsonl -j 2 --quiet '$work/news1000.txt' >/dev/null"
  run b_docs bash -c "'$krfx' extract --format jsonl -j 2 --quiet '$work/short1m.jsonl' >/dev/null"
  run b_text1 bash -c "'$krfx' extract --format jsonl -j 1 --quiet '$work/news1000.txt' >/dev/null"
  text_mb=$(($(stat -c %s "$work/news1000.txt") / 1000000))
  docs_mb=$(($(stat -c %s "$work/short1m.jsonl") / 1000000))
  echo "| 1 GB plain text file (one document, $text_mb MB), -j 2 | peak RSS $(($(peak b_text) / 1024)) MiB; $(best b_text) s, $(mbps "$text_mb" "$(best b_text)") MB/s |"
  echo "| same, -j 1 | peak RSS $(($(peak b_text1) / 1024)) MiB; $(best b_text1) s, $(mbps "$text_mb" "$(best b_text1)") MB/s |"
  echo "| one million JSONL documents ($docs_mb MB), -j 2 | peak RSS $(($(peak b_docs) / 1024)) MiB; $(best b_docs) s |"
fi
