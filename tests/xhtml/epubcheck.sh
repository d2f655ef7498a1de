#!/bin/sh
# epubcheck.sh PRESSKIT SRCDIR OUTDIR - builds an EPUB folder from the
# examples and the good fixtures with the xhtml writer, checks every file
# (well-formed, nothing live, mimetype, reproducible whatever -j is), the
# single-document and usage paths, then zips the folder the EPUB way and
# runs epubcheck, which must report no error and no warning.  Exit 77
# (skip) when zip, java or epubcheck is missing, after the other checks.
set -u
cli=$1 src=$2 out=$3
fail=0

die() { echo "FAIL: $*" >&2; fail=1; }
# PK_WRAP (e.g. "valgrind -q --error-exitcode=99") wraps every presskit run.
pk() { ${PK_WRAP:-} "$cli" "$@"; }

rm -rf "$out"
mkdir -p "$out" || exit 1
# tests/xhtml/golden adds a date-time with an offset, a multi-paragraph
# quote, headings and an ordered list to what epubcheck sees.
inputs="$src/examples/releases $src/tests/fixtures/good $src/tests/xhtml/golden"
count=$(find $inputs -name '*.md' | wc -l)
printf 'body { font-family: serif; }\n' > "$out/style.css"

pk -t xhtml -j 1 -O "$out/book" $inputs || die "presskit -t xhtml -O book"
pk -t xhtml -j 4 -O "$out/book-j4" $inputs || die "presskit -t xhtml -j 4"
diff -r "$out/book" "$out/book-j4" > /dev/null || die "-j 4 gives another book"
pk -t xhtml -M "xhtml.css=$out/style.css" -M "xhtml.title=Examples & fixtures" \
    -O "$out/styled" $inputs || die "presskit -t xhtml -M xhtml.css"

for book in "$out/book" "$out/styled"; do
    [ "$(cat "$book/mimetype")" = "application/epub+zip" ] &&
        [ "$(wc -c < "$book/mimetype")" -eq 20 ] || die "$book/mimetype"
    n=$(find "$book/text" -name '*.xhtml' | wc -l)
    [ "$n" -eq "$count" ] || die "$book holds $n documents, expected $count"
    for f in $(find "$book" -name '*.xhtml' -o -name '*.opf' -o -name '*.xml' | LC_ALL=C sort); do
        xmllint --nonet --noout "$f" || die "$f is not well-formed"
    done
    if grep -rqiE '<script|<iframe| on[a-z]+="|href="javascript' "$book"; then
        die "live markup from the input reached $book"
    fi
done
cmp -s "$out/style.css" "$out/styled/style.css" || die "style.css was not copied"

# One release without -O: one content document on stdout.
one="$src/examples/releases/2023-03-14-pacific-climate-resilience.md"
pk -t xhtml "$one" > "$out/one.xhtml" || die "presskit -t xhtml FILE"
xmllint --nonet --noout "$out/one.xhtml" || die "one.xhtml is not well-formed"
# Several without -O: a usage error, and nothing written.
pk -t xhtml "$one" "$one" > "$out/two.xhtml" 2> "$out/two.err"
[ $? -eq 2 ] || die "two releases without -O: expected exit 2"
[ -s "$out/two.xhtml" ] && die "two releases without -O wrote something"

missing=""
command -v zip > /dev/null 2>&1 || missing="zip"
epubcheck=""
if command -v java > /dev/null 2>&1 && [ -f /usr/share/java/epubcheck.jar ]; then
    # Debian's /usr/bin/epubcheck is the jar itself, runnable only where
    # binfmt_misc knows jars: call java directly.
    epubcheck="java -jar /usr/share/java/epubcheck.jar"
elif command -v epubcheck > /dev/null 2>&1 && epubcheck --version > /dev/null 2>&1; then
    epubcheck="epubcheck"
else
    missing="$missing epubcheck"
fi
if [ -n "$missing" ]; then
    echo "SKIP: not installed:$missing (apt-get install zip epubcheck);" \
         "the folder was checked, epubcheck did not run"
    [ $fail -eq 0 ] && exit 77
    exit 1
fi

# Zips BOOK into BOOK.epub the EPUB way: mimetype first, stored.
zip_book() {
    rm -f "$1.epub"
    (cd "$1" && zip -qX0 "../$(basename "$1").epub" mimetype &&
        zip -qXr9D "../$(basename "$1").epub" . -x mimetype)
}

for book in "$out/book" "$out/styled"; do
    zip_book "$book" || { die "zip $book"; continue; }
    $epubcheck "$book.epub" > "$book.epubcheck" 2>&1
    status=$?
    if [ $status -ne 0 ] ||
        ! grep -q '0 fatals / 0 errors / 0 warnings' "$book.epubcheck"; then
        cat "$book.epubcheck" >&2
        die "epubcheck $book.epub (status $status)"
    fi
done

# epubcheck must be able to say no: a book missing a content document.
cp -r "$out/book" "$out/broken"
rm "$(find "$out/broken/text" -name '*.xhtml' | LC_ALL=C sort | head -n 1)"
zip_book "$out/broken"
if $epubcheck "$out/broken.epub" > "$out/broken.epubcheck" 2>&1; then
    die "epubcheck accepted a book with a missing document"
fi

[ $fail -eq 0 ] && echo "ok: $count releases, epubcheck: no errors, no warnings"
exit $fail
