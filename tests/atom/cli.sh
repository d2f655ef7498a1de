#!/bin/sh
# cli.sh PRESSKIT RELEASES_DIR CHECK_FEED_PY
# Runs the CLI's atom writer over a folder of releases and checks the feeds
# with tools that share no code with it: xmllint (libxml2's parser, run as
# a separate program) and Python's feedparser.
set -eu
cli=$1 releases=$2 check=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pk-atom-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() { echo "FAIL: $*" >&2; exit 1; }

python=
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import feedparser' 2>/dev/null; then
        python=$p
        break
    fi
done
[ -n "$python" ] || fail "no python3 with feedparser (Debian: python3-feedparser)"
command -v xmllint >/dev/null 2>&1 || fail "no xmllint (Debian: libxml2-utils)"

count=$(find "$releases" -name '*.md' | wc -l)
[ "$count" -gt 0 ] || fail "no releases in $releases"

# One feed on -o.
"$cli" -t atom -o "$tmp/feed.xml" -M atom.self=https://example.org/feed.xml \
    "$releases" || fail "presskit exited $?"
xmllint --noout --nonet "$tmp/feed.xml" || fail "xmllint rejects the feed"
"$python" "$check" --entries "$count" "$tmp/feed.xml" || fail "feedparser check"

# Same bytes whatever the number of jobs (and so the order of arrival).
"$cli" -j 3 -t atom -o "$tmp/feed-j3.xml" \
    -M atom.self=https://example.org/feed.xml "$releases"
cmp "$tmp/feed.xml" "$tmp/feed-j3.xml" || fail "-j 3 changed the feed"

# atom.limit keeps the newest.
"$cli" -t atom -o "$tmp/limit.xml" -M atom.limit=3 "$releases"
"$python" "$check" --entries 3 "$tmp/limit.xml" || fail "atom.limit=3"

# One feed per portfolio with -O.
"$cli" -t atom -O "$tmp/out" -M atom.split=portfolio "$releases" \
    || fail "presskit -O with atom.split exited $?"
[ -f "$tmp/out/feed.atom" ] || fail "no feed.atom"
n=0
for f in "$tmp/out/feed.atom" "$tmp/out"/portfolio/*.atom; do
    [ -f "$f" ] || fail "no per-portfolio feed"
    xmllint --noout --nonet "$f" || fail "xmllint rejects $f"
    n=$((n + 1))
done
[ "$n" -gt 2 ] || fail "expected several portfolio feeds, got $((n - 1))"
"$python" "$check" --entries "$count" "$tmp/out/feed.atom" || fail "feed.atom"
"$python" "$check" "$tmp/out"/portfolio/*.atom || fail "portfolio feeds"
if find "$tmp/out" -name '*.tmp' | grep -q .; then
    fail "temporary files left behind"
fi

# atom.split without -O is refused before any work.
if "$cli" -t atom -o "$tmp/x.xml" -M atom.split=portfolio "$releases" \
    2>"$tmp/err"; then
    fail "atom.split without -O succeeded"
fi
grep -q 'atom.split needs -O DIR' "$tmp/err" || fail "unexpected message: $(cat "$tmp/err")"
[ ! -e "$tmp/x.xml" ] || fail "a refused run left an output"

echo "atom cli: all checks passed"
