#!/bin/sh
# pandoc_words.sh - the text writer loses no word of a release.
#
# Usage: pandoc_words.sh PRESSKIT EXAMPLES_DIR
#
# For every release under EXAMPLES_DIR, the body (front matter stripped) is
# rendered by an independent renderer, `pandoc -f commonmark -t plain`, and
# the release is converted by `presskit -t text`.  The words of pandoc's
# rendering must appear, in the same order, among the words of presskit's
# (which has more: the title and metadata, link and image URLs, raw HTML).
#
# Words are compared after turning ASCII punctuation into spaces, because
# the two renderers mark up differently ("-   item" against "  * item",
# "[alt]" against "alt <src>", a rule of dashes against "* * *").  Other
# characters are compared byte for byte: curly quotes, macrons, NO-BREAK
# SPACE (not a word separator here) and NON-BREAKING HYPHEN must come
# through unchanged.
#
# Exits 77 (skipped) when pandoc is not installed.
set -eu

cli=$1
examples=$2

if ! command -v pandoc >/dev/null 2>&1; then
    echo "pandoc not found: skipping" >&2
    exit 77
fi

LC_ALL=C
export LC_ALL
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One word a line: ASCII punctuation and white space separate words.
words() {
    tr '[:punct:]' ' ' | tr -s ' \t\f\r\v' '\n\n\n\n\n' | sed '/^$/d'
}

find "$examples" -name '*.md' | sort > "$tmp/list"
count=0
failed=0
while IFS= read -r md; do
    count=$((count + 1))
    # The body: everything after the line that closes the front matter.
    awk 'NR == 1 && /^---[ \t]*$/ { fm = 1; next }
         fm && /^(---|\.\.\.)[ \t]*$/ { fm = 0; next }
         !fm' "$md" > "$tmp/body.md"
    pandoc -f commonmark -t plain --wrap=none "$tmp/body.md" | words \
        > "$tmp/want"
    if ! "$cli" -t text "$md" > "$tmp/text.txt"; then
        echo "FAIL: $md: presskit -t text failed" >&2
        failed=$((failed + 1))
        continue
    fi
    words < "$tmp/text.txt" > "$tmp/got"
    if [ ! -s "$tmp/want" ] || [ ! -s "$tmp/got" ]; then
        echo "FAIL: $md: no words to compare" >&2
        failed=$((failed + 1))
        continue
    fi
    # Is want a subsequence of got?  Report the first word that is not.
    if ! awk 'NR == FNR { got[++n] = $0; next }
              {
                  while (i < n && got[i + 1] != $0) i++
                  if (i >= n) {
                      printf "missing word %d \"%s\" (after \"%s\")\n",
                             FNR, $0, prev
                      exit 1
                  }
                  i++; prev = $0
              }' "$tmp/got" "$tmp/want" > "$tmp/why"; then
        echo "FAIL: $md: $(cat "$tmp/why")" >&2
        failed=$((failed + 1))
    fi
done < "$tmp/list"

if [ "$count" -eq 0 ]; then
    echo "FAIL: no releases under $examples" >&2
    exit 1
fi
echo "$count releases, $failed failed"
[ "$failed" -eq 0 ]
