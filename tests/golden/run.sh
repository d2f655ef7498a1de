#!/bin/bash
# run.sh PRESSKIT SOURCE_DIR WRITER [--update]
#
# Golden tests: every example release and every good fixture through
# WRITER, compared byte for byte with tests/golden/WRITER/; then the whole
# examples directory as one batch (-o, or -O for writers that need a
# directory).  With --update the expected files are rewritten instead:
# review the diff (git diff tests/golden) before committing it.
#
#   tests/golden/run.sh build/bin/presskit . json --update
#   cmake --build build --target golden-update      # every writer
set -u
pk=$1 src=$(cd "$2" && pwd) writer=$3 update=${4:-}
gold=$src/tests/golden/$writer
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

check() { # check EXPECTED ACTUAL
    if [ "$update" = --update ]; then
        mkdir -p "$(dirname "$1")"
        if [ -d "$2" ]; then rm -rf "$1"; cp -r "$2" "$1"; else cp "$2" "$1"; fi
        passed=$((passed + 1))
    elif diff -ru "$1" "$2" >"$work/diff" 2>&1; then
        passed=$((passed + 1))
    else
        echo "FAIL: ${1#$src/}"; head -n 40 "$work/diff"; failed=$((failed + 1))
    fi
}

needs_dir=0
"$pk" --list-writers | grep -q "^$writer " || { echo "no writer $writer"; exit 1; }

for group in examples fixtures; do
    case $group in
        examples) base=$src/examples/releases ;;
        fixtures) base=$src/tests/fixtures/good ;;
    esac
    while IFS= read -r f; do
        rel=${f#$base/}
        out=$work/$group/${rel%.md}.out
        mkdir -p "$(dirname "$out")"
        if ! (cd "$base" && "$pk" -t "$writer" "$rel") >"$out" 2>"$work/err"; then
            echo "FAIL: $group/$rel: presskit failed:"; cat "$work/err"
            failed=$((failed + 1)); continue
        fi
        check "$gold/$group/${rel%.md}.out" "$out"
    done < <(find "$base" -name '*.md' | LC_ALL=C sort)
done

# The whole examples directory as one batch.
if (cd "$src/examples" && "$pk" -t "$writer" -o "$work/all.out" releases) 2>"$work/err"; then
    check "$gold/all.out" "$work/all.out"
elif grep -q "use -O DIR" "$work/err"; then
    (cd "$src/examples" && "$pk" -t "$writer" -O "$work/all" releases) 2>"$work/err" ||
        { echo "FAIL: -O batch:"; cat "$work/err"; failed=$((failed + 1)); }
    [ -d "$work/all" ] && check "$gold/all" "$work/all"
else
    echo "FAIL: batch:"; cat "$work/err"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
