#!/usr/bin/env python3
"""check_feed.py [--entries N] FEED...

Checks Atom feeds with feedparser, which shares no code with presskit:
the feed parses cleanly (bozo 0), has an id, a title and an updated date;
every entry has an id, a title, an updated date, an author (its own or
the feed's, as RFC 4287 allows), XHTML content; entries are newest first
and their ids distinct.
"""
import argparse
import sys

import feedparser


def check(path, want):
    errors = []
    d = feedparser.parse(path)
    if d.bozo:
        errors.append("bozo: %r" % d.get("bozo_exception"))
    if d.get("version") != "atom10":
        errors.append("version %r, expected atom10" % d.get("version"))
    feed = d.feed
    for key in ("id", "title", "updated"):
        if not feed.get(key):
            errors.append("feed has no %s" % key)
    feed_author = feed.get("author")
    if want is not None and len(d.entries) != want:
        errors.append("%d entries, expected %d" % (len(d.entries), want))
    seen = set()
    last = None
    for i, e in enumerate(d.entries):
        where = "entry %d (%s)" % (i, e.get("id"))
        for key in ("id", "title", "updated"):
            if not e.get(key):
                errors.append("%s has no %s" % (where, key))
        if not (e.get("author") or feed_author):
            errors.append("%s has no author, nor has the feed" % where)
        if e.get("id") in seen:
            errors.append("%s: duplicate id" % where)
        seen.add(e.get("id"))
        content = e.get("content") or []
        if not content or content[0].get("type") != "application/xhtml+xml":
            errors.append("%s has no XHTML content" % where)
        when = e.get("updated_parsed")
        if when is None:
            errors.append("%s: updated does not parse" % where)
        elif last is not None and when > last:
            errors.append("%s is newer than the entry before it" % where)
        last = when if when is not None else last
    for msg in errors:
        print("%s: %s" % (path, msg), file=sys.stderr)
    return not errors


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int)
    ap.add_argument("feeds", nargs="+")
    args = ap.parse_args()
    ok = all([check(f, args.entries) for f in args.feeds])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
