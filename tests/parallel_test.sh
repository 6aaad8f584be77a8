#!/bin/bash
# Streaming and threads at the command line: -j 2 gives byte for byte the
# output of -j 1, a file cut into parts gives the output of the whole file,
# and the progress line shows only on a terminal.
# Usage: parallel_test.sh KRFX_BINARY KRFX_BENCH_BINARY SOURCE_DIR
set -u
krfx=$1
bench=$2
src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

same() {  # same NAME FILE1 FILE2
  if cmp -s "$2" "$3" && [[ -s $2 ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: $2 and $3 differ (or are empty)"; diff "$2" "$3" | head -5; fi
}
ok() {  # ok NAME COMMAND...: exit status 0
  if "${@:2}"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL $1"; fi
}

example="$src/fixtures/example/000_0fd408c67c35800f.txt"
"$bench" --mb 3 --write "$tmp/news.jsonl" >/dev/null
"$bench" --mb 3 --write-text "$tmp/news.txt" >/dev/null    # one document in 1 MiB windows
"$bench" --mb 1 --write-text "$tmp/short.txt" >/dev/null    # one document, checked whole

# -j 2 against -j 1, every command and format that writes per document; and
# the same cut into small parts, which must not change the records of a
# document of up to 1 MiB (a larger one is checked in windows of 1 MiB, whose
# ends move with the parts).
for input in "$example" "$tmp/news.jsonl" "$tmp/news.txt" "$tmp/short.txt"; do
  name=$(basename "$input")
  for args in "extract --format jsonl" "extract --format csv --to USD" "check --date 2025-02-04"; do
    # shellcheck disable=SC2086
    "$krfx" $args -j 1 "$input" >"$tmp/j1" 2>"$tmp/e1"
    # shellcheck disable=SC2086
    "$krfx" $args --threads 2 "$input" >"$tmp/j2" 2>"$tmp/e2"
    same "$name $args -j2" "$tmp/j1" "$tmp/j2"
    [[ $name == news.txt ]] && continue
    # shellcheck disable=SC2086
    "$krfx" $args -j2 --part-bytes 2000 "$input" >"$tmp/p2" 2>/dev/null
    same "$name $args in 2000-byte parts" "$tmp/j1" "$tmp/p2"
  done
done
# Several files, one missing: the same output and messages on any number of threads.
"$krfx" extract --format jsonl -j 1 "$tmp/short.txt" "$tmp/none.txt" "$example" >"$tmp/j1" 2>"$tmp/e1"
"$krfx" extract --format jsonl -j 3 --part-bytes 5000 "$tmp/short.txt" "$tmp/none.txt" "$example" >"$tmp/j3" 2>"$tmp/e3"
same "several files -j3" "$tmp/j1" "$tmp/j3"
same "several files -j3 stderr" "$tmp/e1" "$tmp/e3"
# Standard input in parts.
"$krfx" extract --format jsonl -j 2 --part-bytes 3000 - <"$tmp/short.txt" >"$tmp/s2"
"$krfx" extract --format jsonl -j 1 - <"$tmp/short.txt" >"$tmp/s1"
same "stdin -j2" "$tmp/s1" "$tmp/s2"

# Bad values.
ok "-j 0 is refused" bash -c "'$krfx' extract -j 0 '$example' >/dev/null 2>&1; [[ \$? == 2 ]]"
ok "--threads x is refused" bash -c "'$krfx' extract --threads x '$example' >/dev/null 2>&1; [[ \$? == 2 ]]"

# Progress: a 9 MB input on a terminal shows MB/s on stderr; --quiet and a
# non-terminal stderr show nothing.
yes 'The quarterly report lists no figures in this line at all.' | head -c 9000000 >"$tmp/big.txt"
script -qec "'$krfx' extract --format csv -j 2 '$tmp/big.txt' >/dev/null" /dev/null >"$tmp/tty" 2>&1
ok "progress on a terminal" grep -q 'MB/s' "$tmp/tty"
script -qec "'$krfx' extract --format csv -j 2 --quiet '$tmp/big.txt' >/dev/null" /dev/null >"$tmp/tty" 2>&1
ok "--quiet" bash -c "! grep -q 'MB/s' '$tmp/tty'"
"$krfx" extract --format csv "$tmp/big.txt" >/dev/null 2>"$tmp/err"
ok "no progress when stderr is not a terminal" bash -c "[[ ! -s '$tmp/err' ]]"

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
