#!/bin/sh
# validate.sh PRESSKIT SRCDIR OUTDIR - runs the xml writer through the CLI
# over the examples and the good fixtures, one release per output, all of
# them in one collection, compact and per-file (-O); checks every output is
# well-formed (xmllint) and valid against docs/presskit-release.rnc (jing),
# and that the schema does reject what it must.  Exit 77 (skip) when jing
# is not installed, after the checks that need only xmllint.
set -u
cli=$1 src=$2 out=$3
schema="$src/docs/presskit-release.rnc"
fail=0

die() { echo "FAIL: $*" >&2; fail=1; }
# PK_WRAP (e.g. "valgrind -q --error-exitcode=99") wraps every presskit run.
pk() { ${PK_WRAP:-} "$cli" "$@"; }

rm -rf "$out"
mkdir -p "$out/single" || exit 1

inputs=$(find "$src/examples/releases" "$src/tests/fixtures/good" -name '*.md' | LC_ALL=C sort)
count=0
for f in $inputs; do
    name=$(basename "$f" .md)
    count=$((count + 1))
    pk -t xml "$f" > "$out/single/$name.xml" || die "presskit -t xml $f"
done

pk -t xml -o "$out/all.xml" "$src/examples/releases" "$src/tests/fixtures/good" ||
    die "presskit -t xml -o all.xml"
pk -t xml -M xml.indent=false -j 4 -o "$out/compact.xml" \
    "$src/examples/releases" "$src/tests/fixtures/good" ||
    die "presskit -t xml -M xml.indent=false"
pk -t xml -O "$out/dir" "$src/examples/releases" || die "presskit -t xml -O"

files=$(find "$out" -name '*.xml' | LC_ALL=C sort)
for x in $files; do
    xmllint --nonet --noout "$x" || die "$x is not well-formed"
done

# Every input is in the collection, and indentation changes nothing but
# the whitespace between elements.
n=$(grep -c '^  <release>$' "$out/all.xml")
[ "$n" -eq "$count" ] || die "all.xml holds $n releases, expected $count"
head -c 200 "$out/single/hostile.xml" | grep -q '^<release xmlns="https://presskit.invalid/ns/release/1">' ||
    die "a single release is not the root"
xmllint --nonet --noblanks "$out/all.xml" > "$out/all.noblanks" &&
    xmllint --nonet --noblanks "$out/compact.xml" > "$out/compact.noblanks" &&
    cmp -s "$out/all.noblanks" "$out/compact.noblanks" ||
    die "indent=false gives a different tree"
# Hostile text never becomes markup.
if grep -q '<script' $files; then
    die "a <script> element reached the output"
fi

if ! command -v jing > /dev/null 2>&1; then
    echo "SKIP: jing is not installed (apt-get install jing): outputs are" \
         "well-formed, schema validity not checked"
    [ $fail -eq 0 ] && exit 77
    exit 1
fi

# jing prints classpath warnings on stderr; its status is what counts.
jing -c "$schema" $files 2> "$out/jing.err" || {
    cat "$out/jing.err" >&2
    die "jing: outputs are not valid against $schema"
}

# The schema must be able to say no: each broken copy must be refused.
reject() { # NAME SOURCE SED-SCRIPT
    sed "$3" "$2" > "$out/$1.bad"
    if cmp -s "$2" "$out/$1.bad"; then
        die "$1: the edit changed nothing"
    elif jing -c "$schema" "$out/$1.bad" > /dev/null 2>&1; then
        die "$1: jing accepted an invalid document"
    fi
}
golden="$src/tests/xml/golden/model.xml"
reject unknown-element "$out/single/hostile.xml" 's|<lang>en</lang>|<language>en</language>|'
reject heading-level "$golden" 's|<heading level="2">|<heading level="7">|'
reject keyless-pair "$golden" 's|<integer key="count">|<integer>|'
reject bad-integer "$golden" 's|<integer key="count">[^<]*|<integer key="count">1.5|'
reject text-in-paragraph "$golden" 's|<paragraph>|<paragraph>loose text|'
reject wrong-namespace "$golden" 's|https://presskit.invalid/ns/release/1|urn:other|'
reject missing-date "$golden" '/<date>/d'

[ $fail -eq 0 ] && echo "ok: $count releases, $(echo "$files" | wc -l) files valid"
exit $fail
