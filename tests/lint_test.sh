#!/bin/sh
# Fails when engine code holds Hangul (language knowledge belongs in rules/)
# or binary floating point types (values must stay exact).
root=${1:-.}
status=0
if grep -rnP '[\x{AC00}-\x{D7A3}\x{3131}-\x{318E}]' "$root/src" "$root/include"; then
  echo "FAIL: Hangul in src/ or include/ (move it to rules/)"; status=1
fi
if grep -rnwE 'double|float|stod|stof|atof' "$root/src" "$root/include"; then
  echo "FAIL: floating point in src/ or include/"; status=1
fi
[ $status -eq 0 ] && echo "ok: no Hangul, no floating point in engine code"
exit $status
