#!/usr/bin/env python3
"""Checks docs/presskit-release.schema.json against the json writer.

Usage: check_schema.py SCHEMA SAMPLES_DIR

SAMPLES_DIR holds what test_json wrote with PK_JSON_SAMPLES set: each
*.json is one release or an array of them, each *.jsonl one release per
line.  Every release must validate; edited copies of golden.json that break
a rule of the format must not.  Exits 0 on success, 1 on a failure.
"""
import copy
import json
import os
import sys

import jsonschema

DROP = object()  # a quote(...) edit that removes the key

REQUIRED_SAMPLES = [
    "golden.json", "hostile.json", "utf8.json", "numbers.json",
    "empty-nodes.json", "array.json", "lines.jsonl", "hand-written.json",
    "analysis.json", "unanalysed.json", "markdown.json",
]

# A quote as the writer writes it, for edits of golden.json (which has
# none).
QUOTE = {"speaker": "Hon A Person", "title": "Foreign Minister",
         "minister": 0, "paragraphs": [1, 2], "text": "Words,\n\nmore."}


def releases(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    if path.endswith(".jsonl"):
        return [json.loads(line) for line in text.splitlines()]
    value = json.loads(text)
    return value if isinstance(value, list) else [value]


def broken_copies(golden):
    """(what, release) pairs the schema must reject."""
    def edit(what, change):
        doc = copy.deepcopy(golden)
        change(doc)
        return what, doc

    def body(doc):
        return doc["body"]

    def quote(**change):
        def apply(doc):
            q = copy.deepcopy(QUOTE)
            q.update(change)
            for key in [k for k, v in change.items() if v is DROP]:
                q.pop(key)
            doc["quotes"].append(q)
        return apply

    return [
        edit("no format", lambda d: d.pop("format")),
        edit("format presskit/2", lambda d: d.update(format="presskit/2")),
        edit("empty title", lambda d: d.update(title="")),
        edit("date not a date", lambda d: d.update(date="25 Aug 2022")),
        edit("ministers a string", lambda d: d.update(ministers="Hon X")),
        edit("no meta", lambda d: d.pop("meta")),
        edit("meta without title", lambda d: d["meta"].pop("title")),
        edit("unknown node type",
             lambda d: body(d).append({"type": "foo"})),
        edit("text at the top of the body",
             lambda d: body(d).append({"type": "text", "text": "x"})),
        edit("item at the top of the body",
             lambda d: body(d).append({"type": "item", "children": []})),
        edit("paragraph in a list",
             lambda d: body(d)[3]["children"].append(
                 {"type": "paragraph", "children": []})),
        edit("block in a paragraph",
             lambda d: body(d)[1]["children"].append(
                 {"type": "thematic_break"})),
        edit("heading level 7", lambda d: body(d)[0].update(level=7)),
        edit("start on a bullet list", lambda d: body(d)[3].update(start=1)),
        edit("ordered list without start", lambda d: body(d)[4].pop("start")),
        edit("unknown node key", lambda d: body(d)[1].update(id="p1")),
        edit("source position", lambda d: body(d)[1].update(line=3)),
        edit("children on a leaf",
             lambda d: body(d)[7].update(children=[])),
        edit("empty link title",
             lambda d: body(d)[1]["children"][7].update(title="")),
        edit("NUL in a url",
             lambda d: body(d)[1]["children"][7].update(url="a\u0000b")),
        edit("no id", lambda d: d.pop("id")),
        edit("empty id", lambda d: d.update(id="")),
        edit("id a number", lambda d: d.update(id=3)),
        edit("no words", lambda d: d.pop("words")),
        edit("negative words", lambda d: d.update(words=-1)),
        edit("reading_minutes a string",
             lambda d: d.update(reading_minutes="1")),
        edit("highlights holding a number",
             lambda d: d.update(highlights=["a", 1])),
        edit("no lead", lambda d: d.pop("lead")),
        edit("lead a list", lambda d: d.update(lead=["x"])),
        edit("quotes an object", lambda d: d.update(quotes={})),
        edit("quote minister -1", quote(minister=-1)),
        edit("quote minister a string", quote(minister="0")),
        edit("quote without paragraphs", quote(paragraphs=[])),
        edit("quote paragraph index -1", quote(paragraphs=[-1])),
        edit("quote without text", quote(text=DROP)),
        edit("quote without speaker", quote(speaker=DROP)),
        edit("quote text null", quote(text=None)),
        edit("quote with an unknown key", quote(said="x")),
    ]


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    validator = cls(schema)
    failures = 0

    names = sorted(os.listdir(argv[2]))
    for name in REQUIRED_SAMPLES:
        if name not in names:
            print(f"missing sample {name}", file=sys.stderr)
            failures += 1
    count = 0
    for name in names:
        if not name.endswith((".json", ".jsonl")):
            continue
        for i, doc in enumerate(releases(os.path.join(argv[2], name))):
            count += 1
            for err in validator.iter_errors(doc):
                print(f"{name}[{i}]: {err.json_path}: {err.message}",
                      file=sys.stderr)
                failures += 1

    with open(os.path.join(argv[2], "golden.json"), "rb") as f:
        golden = json.load(f)
    # The edits below break one thing each: unbroken, they are valid.
    with_quote = copy.deepcopy(golden)
    with_quote["quotes"].append(copy.deepcopy(QUOTE))
    with_quote["quotes"].append(dict(QUOTE, speaker=None, title=None,
                                     minister=None))
    for err in validator.iter_errors(with_quote):
        print(f"golden.json with quotes: {err.json_path}: {err.message}",
              file=sys.stderr)
        failures += 1
    for what, doc in broken_copies(golden):
        if validator.is_valid(doc):
            print(f"the schema accepts a release with {what}", file=sys.stderr)
            failures += 1

    print(f"{count} releases checked, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
