#!/bin/bash
# The command line as a user meets it: exit codes, messages and output.
# Usage: cli_test.sh KRFX_BINARY SOURCE_DIR
set -u
krfx=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() {  # check NAME EXPECTED_STATUS COMMAND...; output kept in $tmp/out, $tmp/err
  local name=$1 want=$2
  shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [[ $got == "$want" ]]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $name: exit $got, want $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5; fi
}
expect_in() {  # expect_in NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL $1: '$3' not in $2:"; head -5 "$2" | sed 's/^/  /'; fi
}

check help 0 "$krfx" --help
expect_in help "$tmp/out" "krfx extract"
check version 0 "$krfx" --version
expect_in version "$tmp/out" "krfx "
check no-command 2 "$krfx"
check bad-command 2 "$krfx" frobnicate
check bad-format 2 "$krfx" extract --format xml
check bad-option 2 "$krfx" extract --nope
check bad-date 2 "$krfx" extract --date 2025-13-01

# The example article: 14 mentions as JSONL, as CSV with a header.
example="$src/fixtures/example/000_0fd408c67c35800f.txt"
check example-jsonl 0 "$krfx" extract --format jsonl "$example"
[[ $(wc -l <"$tmp/out") == 14 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL example: $(wc -l <"$tmp/out") records, want 14"; }
check example-csv 0 "$krfx" extract --format csv "$example"
expect_in csv-header "$tmp/out" "doc,id,start,end,byte_start,byte_end,text,currency,value,low,high,approx,bound,role,converts,implied_rate,rate_check,entity,action,target,rate_deviation"
[[ $(wc -l <"$tmp/out") == 15 ]] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL example csv: $(wc -l <"$tmp/out") lines, want 15"; }
check example-table 0 "$krfx" extract --format table "$example"
expect_in table "$tmp/out" "150억~250억달러"

# Standard input, JSONL documents, one bad line among good ones.
check stdin 0 bash -c "printf '%s' '총 5000억달러를 투자' | '$krfx' extract --format jsonl"
expect_in stdin "$tmp/out" '"value":"500000000000"'
printf '%s\n' '{"id":"a","text":"100억원"}' '{"id":"b","text":' '{"id":"c","text":"3달러"}' >"$tmp/docs.jsonl"
check jsonl-bad-line 1 "$krfx" extract --format jsonl "$tmp/docs.jsonl"
expect_in jsonl-bad-line "$tmp/err" "docs.jsonl:2:"
expect_in jsonl-good-a "$tmp/out" '"doc":"a"'
expect_in jsonl-good-c "$tmp/out" '"doc":"c"'

# Unreadable inputs: named, the rest still processed, exit 1.
printf '%s' '200억원' >"$tmp/good.txt"
check missing-file 1 "$krfx" extract --format csv "$tmp/missing.txt" "$tmp/good.txt"
expect_in missing-file "$tmp/err" "missing.txt"
expect_in missing-file-rest "$tmp/out" "200억원"
check directory 1 "$krfx" extract --format csv "$tmp"
printf '100\xff억원 그리고 200억원' >"$tmp/bad-utf8.txt"
check invalid-utf8 1 "$krfx" extract --format jsonl "$tmp/bad-utf8.txt"
expect_in invalid-utf8 "$tmp/err" "byte 3"
expect_in invalid-utf8-rest "$tmp/out" '"text":"200억원"'
check empty-file 0 "$krfx" extract --format csv /dev/null

# krfx value: one line per figure, exit 1 when one is not a figure.
check value 0 "$krfx" value 21조9000억 "5000억 달러"
expect_in value "$tmp/out" $'21조9000억\t21900000000000\t'
expect_in value-currency "$tmp/out" $'5000억 달러\t500000000000\tUSD'
check value-stdin 0 bash -c "printf '１２３만\n이천칠백삼십오만원\n' | '$krfx' value"
expect_in value-stdin "$tmp/out" $'１２３만\t1230000\t'
check value-bad 1 "$krfx" value 안녕하세요
expect_in value-bad "$tmp/out" $'안녕하세요\t\t'

# Rules: --rules replaces the built-in rules; a broken file gives file:line:col and exit 2.
check rules-dir 0 "$krfx" extract --format csv --rules "$src/rules/ko" "$example"
check rules-bad 2 "$krfx" extract --rules "$src/fixtures/bad-rules/unknown-directive" "$example"
expect_in rules-bad "$tmp/err" "main.rules:4:1:"
check rules-missing 2 "$krfx" value --rules "$tmp/nowhere" 1

# krfx check: a report, exit 3 when a restatement is off; --to adds fields.
check check-ok 0 "$krfx" check --date 2025-02-04 "$example"
expect_in check-ok "$tmp/out" "4 conversions: 4 consistent, 0 inconsistent, 0 unchecked"
sed 's/729조원/72.9조원/' "$example" >"$tmp/slip.txt"
check check-slip 3 "$krfx" check "$tmp/slip.txt"
expect_in check-slip "$tmp/out" "1 inconsistent"
check check-format 2 "$krfx" check --format csv "$example"
check to-usd 0 "$krfx" extract --to USD --format csv "$example"
expect_in to-usd "$tmp/out" "converted_currency,converted_value,converted_low,converted_high,rate_used,rate_source"
expect_in to-usd-value "$tmp/out" ",USD,2398.90,,,1459,document"
check bad-to 2 "$krfx" extract --to dollars "$example"
check bad-tolerance 2 "$krfx" extract --rate-tolerance lots "$example"
printf 'date,base,quote,rate\n2025-02-04,USD,KRW,abc\n' >"$tmp/rates.csv"
check bad-rates 2 "$krfx" extract --rates "$tmp/rates.csv" "$example"
expect_in bad-rates "$tmp/err" "rates.csv:2:20:"
check missing-rates 2 "$krfx" check --rates "$tmp/none.csv" "$example"
printf 'date,base,quote,rate\n2025-02-01,USD,KRW,1300\n' >"$tmp/rates.csv"
check user-rates-win 3 "$krfx" check --date 2025-02-04 --rates "$tmp/rates.csv" "$example"

echo "$pass passed, $fail failed"
[[ $fail == 0 ]]
