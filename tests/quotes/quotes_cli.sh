#!/bin/bash
# quotes_cli.sh PRESSKIT SOURCE_DIR
# The quotes writer through the presskit command: a bad format is a usage
# error before any work, one header per output, rows in input order
# whatever -j, one .tsv per input with -O.
set -u
pk=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# PK_WRAP runs every presskit under a checker, e.g. valgrind.
if [ -n "${PK_WRAP:-}" ]; then
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$PK_WRAP" "$pk" >"$work/.pk-wrapped"
    chmod +x "$work/.pk-wrapped"
    pk=$work/.pk-wrapped
fi
cd "$work" || exit 1
ex=$src/examples/releases
one=$ex/2023-09-20-observer-mission-extension.md
header=$(printf 'date\tspeaker\ttitle\tid\ttext')
failed=0
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

"$pk" --list-writers | grep -q '^quotes .*\.tsv' || fail "quotes is not listed"

"$pk" -t quotes -M quotes.format=xml "$one" >stdout 2>err
[ $? = 2 ] || fail "bad format: exit status"
grep -qF 'option quotes.format: expected tsv or jsonl, got "xml"' err ||
    fail "bad format: $(cat err)"
[ ! -s stdout ] || fail "bad format: wrote $(cat stdout)"
"$pk" -t quotes -M quotes.format=xml -O dir "$one" >stdout 2>err
[ $? = 2 ] && [ ! -e dir ] || fail "bad format with -O: exit 2 and no output"

# "What did he say, and when?"
"$pk" -t quotes -j1 "$ex" >seq.tsv || fail "batch: exit $?"
[ "$(head -n 1 seq.tsv)" = "$header" ] || fail "batch: no header first"
[ "$(grep -c '^date	speaker' seq.tsv)" = 1 ] || fail "batch: header not once"
[ "$(grep -c 'Hon Hemi Walker' seq.tsv)" = 2 ] || fail "batch: Walker's quotes"
grep -q '^2023-09-20	Hon Hemi Walker	Defence Minister	https://www.example.govt.nz/release/observer-mission-extension	Our people are highly regarded' seq.tsv ||
    fail "batch: Walker's first row"
# Every row has five fields.
awk -F'\t' 'NF != 5 { exit 1 }' seq.tsv || fail "batch: a row without 5 fields"
"$pk" -t quotes -j4 "$ex" >par.tsv || fail "parallel: exit $?"
cmp -s seq.tsv par.tsv || fail "-j4 output differs from -j1"

"$pk" -t quotes -M quotes.format=jsonl "$ex" >all.jsonl || fail "jsonl: exit $?"
[ "$(wc -l <all.jsonl)" = "$(($(wc -l <seq.tsv) - 1))" ] ||
    fail "jsonl: not one line per TSV row"
grep -q '^{"date":"2023-09-20","speaker":"Hon Hemi Walker","title":"Defence Minister",' all.jsonl ||
    fail "jsonl: Walker's first row"

"$pk" -t quotes -O out "$ex" 2>err || fail "-O: exit $?: $(cat err)"
[ -f out/2023-09-20-observer-mission-extension.tsv ] || fail "-O: no .tsv file"
for f in out/*.tsv out/2024/*.tsv; do
    [ "$(head -n 1 "$f")" = "$header" ] || fail "-O: $f has no header"
done
"$pk" -t quotes "$one" >single.tsv
cmp -s single.tsv out/2023-09-20-observer-mission-extension.tsv ||
    fail "-O file differs from stdout"

[ "$failed" = 0 ] && echo "quotes_cli: all passed"
exit $((failed > 0))
