#!/bin/bash
# Linear time and bounded memory on hostile input (issue 6): `krfx extract`
# on inputs that double in size, for generated news text and for each
# pathological input of tests/hostile_test.sh, with the time ratio of each
# doubling (2.00 is linear; issue 6 allows 20%, i.e. up to 2.40) and the
# peak RSS. The ratio is of CPU time (user + system), which other work on
# the machine disturbs far less than wall time; MB/s is of wall time. Not part of ctest: it runs for minutes and its figures depend
# on the machine.
#
# Usage: tests/bench/hostile_bench.sh [--krfx BIN] [--bench BIN] [--quick]
#                                     [--news-max-mb N] [--only NAME] [-j N]
#   --krfx        the krfx binary (default build/krfx)
#   --bench       krfx_bench, which writes the news corpus
#                 (default build/tests/bench/krfx_bench)
#   --news-max-mb largest news input (default 1024: 16 MB to 1 GB; the
#                 issue's 200 MB peak RSS is checked at each size)
#   --quick       every input at a quarter of its sizes (a smoke run)
#   --only NAME   one input only (news, invalid-utf8, nul, crlf, one-line,
#                 long-digits, eok-run, parens, jsonl-line, dense, rates)
#   -j N          threads for krfx (default: krfx's own, all cores)
#
# Each input is written to a temporary directory, timed once, and removed.
# Time is wall-clock; peak RSS is ru_maxrss of krfx (GNU time when
# installed, else VmHWM polled every 20 ms).
set -u
krfx=build/krfx
bench=build/tests/bench/krfx_bench
news_max_mb=1024
quick=0
only=""
threads=()
while (($#)); do
  case $1 in
    --krfx) krfx=$2; shift 2 ;;
    --bench) bench=$2; shift 2 ;;
    --news-max-mb) news_max_mb=$2; shift 2 ;;
    --quick) quick=1; shift ;;
    --only) only=$2; shift 2 ;;
    -j) threads=(-j "$2"); shift 2 ;;
    *) echo "unknown argument '$1'" >&2; exit 2 ;;
  esac
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/krfx-hostile-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0

# run FILE [krfx options]: sets $secs (wall, 3 decimals), $cpu (user + system
# seconds of krfx, when GNU time is there, else the wall time), $rss_mb,
# $records.
run() {
  local f=$1
  shift
  local start end
  start=$(date +%s%N)
  cpu=""
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f '%U %S %M' -o "$tmp/rss" "$krfx" extract "${threads[@]}" --format csv "$@" "$f" 2>"$tmp/err" |
      wc -l >"$tmp/records"
    read -r user sys rss_kb < <(tail -1 "$tmp/rss")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  else
    "$krfx" extract "${threads[@]}" --format csv "$@" "$f" 2>"$tmp/err" | wc -l >"$tmp/records" &
    local pid=$! child="" v
    rss_kb=0
    while kill -0 "$pid" 2>/dev/null; do
      [[ -z $child ]] && child=$(pgrep -n -x krfx)
      [[ -n $child ]] && v=$(awk '/^VmHWM/ {print $2}' "/proc/$child/status" 2>/dev/null) && [[ -n $v ]] && rss_kb=$v
      sleep 0.02
    done
    wait "$pid"
  fi
  end=$(date +%s%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  [[ -n $cpu ]] || cpu=$secs
  rss_mb=$((rss_kb / 1024))
  records=$(($(cat "$tmp/records") - 1))
}

# series NAME EXT GENERATOR SIZE_MB...: GENERATOR MB FILE writes about MB
# MB to FILE, which ends in EXT (.jsonl makes krfx read it as JSONL).
series() {
  local name=$1 ext=$2 gen=$3
  shift 3
  [[ -n $only && $only != "$name" ]] && return
  local prev="" prev_bytes="" mb f bytes ratio size_ratio per
  for mb in "$@"; do
    ((quick)) && mb=$(awk -v m="$mb" 'BEGIN { printf "%g", m / 4 }')
    f="$tmp/$name$ext"
    "$gen" "$mb" "$f"
    bytes=$(stat -c %s "$f")
    run "$f"
    per=$(awk -v s="$secs" -v b="$bytes" 'BEGIN { printf "%.2f", b / 1e6 / s }')
    ratio="-"
    size_ratio="-"
    if [[ -n $prev ]]; then
      ratio=$(awk -v a="$prev" -v b="$cpu" 'BEGIN { printf "%.2f", b / a }')
      size_ratio=$(awk -v a="$prev_bytes" -v b="$bytes" 'BEGIN { printf "%.2f", b / a }')
    fi
    local verdict=""
    if [[ $ratio != "-" ]] && awk -v r="$ratio" -v s="$size_ratio" 'BEGIN { exit !(r > s * 1.2) }'; then
      verdict=" SUPERLINEAR"
      failures=$((failures + 1))
    fi
    if ((rss_mb > 200)); then
      verdict="$verdict RSS>200MB"
      failures=$((failures + 1))
    fi
    [[ -s $tmp/err ]] && verdict="$verdict ($(wc -l <"$tmp/err") lines on stderr)"
    printf '%-13s %7.1f MB %8s s %8s s CPU %7s MB/s %5s x size %5s x CPU %4d MB RSS %8d records%s\n' \
      "$name" "$(awk -v b="$bytes" 'BEGIN { print b / 1e6 }')" "$secs" "$cpu" "$per" "$size_ratio" "$ratio" "$rss_mb" \
      "$records" "$verdict"
    prev=$cpu
    prev_bytes=$bytes
    rm -f "$f"
  done
}

# Repeats the string UNIT (no newline) to about MB MB, in whole units.
repeat_to() {  # repeat_to MB FILE UNIT
  local unit=$3 len n
  len=$(printf '%s' "$unit" | wc -c)
  n=$(awk -v m="$1" -v l="$len" 'BEGIN { printf "%d", m * 1e6 / l }')
  yes "$unit" | tr -d '\n' | head -c $((len * n)) >"$2"
}

filler='삼성전자는 올해 3분기 반도체 설비 투자를 20% 늘렸고 협력사 지원과 연구 인력 확충에도 힘을 쏟았다. '
money='소프트뱅크는 150억달러(약 21조9000억) 이상을 투자하고 2천만원대 상품을 최대 350만원에 판다. '

gen_news() { "$bench" --mb "$1" --write-text "$2" >/dev/null; }
# A bad byte (0xFF, 0xFE) every 130 bytes or so, between ordinary sentences.
gen_invalid() { repeat_to "$1" "$2" "$(printf '%s\xff %s\xfe\n' "$filler" "$money")"; }
# Two NUL bytes between sentences (written as 0x01, then translated).
gen_nul() { repeat_to "$1" "$tmp/unit" "$filler"$'\x01\x01'"$money"; tr '\001' '\000' <"$tmp/unit" >"$2"; rm -f "$tmp/unit"; }
gen_crlf() { repeat_to "$1" "$2" "$(printf '%s\r\n%s\r\n' "$filler" "$money")"; }
# No line end at all: the pipeline must cut it at spaces.
gen_one_line() { repeat_to "$1" "$2" "$filler$filler$filler$money"; }
# Numbers of 10,000 digits followed by a currency word, one after another.
gen_digits() { repeat_to "$1" "$2" "가격은 1$(printf '0%.0s' $(seq 9999))원이다. "; }
# One run of 억 as long as the whole input, then 원.
gen_eok() { repeat_to "$1" "$2" "억억억억억억억억억억"; printf '원 300억원' >>"$2"; }
# Parentheses nested as deep as the input is long, an amount at the bottom.
gen_parens() {
  local half
  half=$(awk -v m="$1" 'BEGIN { printf "%d", m * 1e6 / 2 }')
  { head -c "$half" /dev/zero | tr '\0' '('; printf '5000억달러(약 729조원)'; head -c "$half" /dev/zero | tr '\0' ')'; } >"$2"
}
# One JSONL document of the whole size (up to the 64 MiB line limit).
gen_jsonl_line() {
  repeat_to "$1" "$tmp/unit" "$filler$money"
  { printf '{"id":"big","text":"'; cat "$tmp/unit"; printf '"}\n'; } >"$2"
  rm -f "$tmp/unit"
}
# Nothing but amounts: one every 8 bytes.
gen_dense() { repeat_to "$1" "$2" "100억원, 2조 "; }
# Stated rates, one after another.
gen_rates() { repeat_to "$1" "$2" "달러당 1,460원, 엔당 9.4원. "; }

echo "krfx extract ${threads[*]:-(all cores)} on $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
news_sizes=()
for ((m = 16; m <= news_max_mb; m *= 2)); do news_sizes+=("$m"); done
series news .txt gen_news "${news_sizes[@]}"
series invalid-utf8 .txt gen_invalid 8 16 32 64
series nul .txt gen_nul 8 16 32 64
series crlf .txt gen_crlf 8 16 32 64
series one-line .txt gen_one_line 8 16 32 64
series long-digits .txt gen_digits 8 16 32 64
series eok-run .txt gen_eok 4 8 16 32
series parens .txt gen_parens 4 8 16 32
series jsonl-line .jsonl gen_jsonl_line 8 16 32 64
series dense .txt gen_dense 1 2 4 8
series rates .txt gen_rates 1 2 4 8
echo "$failures check(s) over the limits (CPU time ratio above 1.2 x size ratio, or RSS above 200 MB)"
exit $((failures > 0))
