#!/bin/bash
# cli.sh PRESSKIT SOURCE_DIR LOADER_PLUGIN_DIR
# Runs the presskit command the way users and scripts do and checks exit
# statuses, stderr messages and outputs exactly.
set -u
pk=$1 src=$2 loader=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# PK_WRAP runs every presskit under a checker, e.g. valgrind.
if [ -n "${PK_WRAP:-}" ]; then
    printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$PK_WRAP" "$pk" >"$work/.pk-wrapped"
    chmod +x "$work/.pk-wrapped"
    pk=$work/.pk-wrapped
fi
cd "$work" || exit 1
passed=0 failed=0

fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
ok() { passed=$((passed + 1)); }

# expect NAME STATUS STDERR_SUBSTRING -- COMMAND...
expect() {
    local name=$1 want=$2 msg=$3
    shift 4
    "$@" >"$work/stdout" 2>"$work/stderr"
    local got=$?
    if [ "$got" != "$want" ]; then
        fail "$name: exit $got, expected $want"; sed 's/^/  stderr: /' "$work/stderr"
    elif [ -n "$msg" ] && ! grep -qF -- "$msg" "$work/stderr"; then
        fail "$name: stderr lacks: $msg"; sed 's/^/  stderr: /' "$work/stderr"
    else
        ok
    fi
}

ex=$src/examples/releases
good=$src/tests/fixtures/good
bad=$src/tests/fixtures/bad
one=$ex/2023-03-14-pacific-climate-resilience.md

# --- usage: exit 2 before any work -----------------------------------------
expect help 0 "" -- "$pk" --help
grep -q '^Usage: presskit' "$work/stdout" || fail "help: no usage line"
expect version 0 "" -- "$pk" --version
grep -q '^presskit [0-9]' "$work/stdout" || fail "version: no version"
expect no-writer 2 "no writer: use -t WRITER" -- "$pk" "$one"
expect unknown-writer 2 'unknown writer "nope" (available: ' -- "$pk" -t nope "$one"
expect unknown-reader 2 'unknown reader "nope"' -- "$pk" -f nope -t json "$one"
expect m-without-eq 2 "-M json.lines: expected KEY=VALUE" -- "$pk" -t json -M json.lines "$one"
expect m-bad-key 2 "unknown option json.nope (valid: json.lines" -- "$pk" -t json -M json.nope=1 "$one"
expect m-bad-value 2 'option json.lines: expected true or false, got "perhaps"' -- "$pk" -t json -M json.lines=perhaps "$one"
expect m-no-plugin 2 "-M zzz: no plugin in use is called that" -- "$pk" -t json -M zzz.a=1 "$one"
expect writer-option 2 "text.width" -- "$pk" -t text -M text.width=5 "$one"
expect writer-option-O 2 "text.width" -- "$pk" -t text -M text.width=5 -O wo "$one"
[ ! -e wo ] && ok || fail "a refused writer option must not create outputs"
expect o-and-O 2 "-o and -O cannot be used together" -- "$pk" -t json -o x.json -O dir "$one"
expect bad-jobs 2 "-j x: expected a number of jobs" -- "$pk" -t json -j x "$one"
expect neg-jobs 2 "-j -1: expected a number of jobs" -- "$pk" -t json -j -1 "$one"
expect unknown-opt 2 "unknown option" -- "$pk" --frobnicate
[ ! -e x.json ] && [ ! -e dir ] || fail "usage errors must not create outputs"
expect list-readers 0 "" -- "$pk" --list-readers
grep -q '^markdown ' "$work/stdout" && grep -q '^json ' "$work/stdout" || fail "list-readers: $(cat "$work/stdout")"
expect list-writers 0 "" -- "$pk" --list-writers
grep -q '^json .*\.json' "$work/stdout" || fail "list-writers: $(cat "$work/stdout")"
expect list-plugins 0 "" -- "$pk" --plugin-path "$loader/newmajor" --list-plugins
grep -q '^NAME  *KIND  *VERSION  *FILE  *EXTENSIONS$' "$work/stdout" &&
    grep -q '^markdown  *reader  *[^ ]*  *[^ ]*/markdown\.so  *\.md,\.markdown$' "$work/stdout" &&
    grep -q '^json  *writer  *[^ ]*  *[^ ]*/json_writer\.so  *\.json$' "$work/stdout" &&
    grep -qxF 'Refused:' "$work/stdout" &&
    grep -qxF "  $loader/newmajor/newmajor.so: plugin ABI 2.0, presskit supports 1.0 to 1.1" "$work/stdout" ||
    fail "list-plugins: $(cat "$work/stdout")"
expect help-plugin 0 "" -- "$pk" --help-plugin json
grep -qx 'json (reader)' "$work/stdout" && grep -qx 'json (writer)' "$work/stdout" &&
    grep -qx '  Media type:  application/json' "$work/stdout" &&
    grep -q '^  File: .*/json_writer\.so$' "$work/stdout" &&
    grep -q '^    json\.lines  *bool  *false  *[a-zA-Z]' "$work/stdout" ||
    fail "help-plugin: $(cat "$work/stdout")"
expect help-plugin-test 0 "" -- "$pk" --plugin-path "$loader/good" --help-plugin testw
grep -qx '  Summary:     titles, one per line' "$work/stdout" &&
    grep -qx '    testw.flag  bool  false    a test flag' "$work/stdout" ||
    fail "help-plugin-test: $(cat "$work/stdout")"
expect help-plugin-unknown 2 'no plugin called "nope" (available: ' -- "$pk" --help-plugin nope

# --- a plugin of another ABI is refused, naming the file and both versions --
expect wrong-abi 2 "$loader/newmajor/newmajor.so: plugin refused: plugin ABI 2.0, presskit supports 1.0 to 1.1" \
    -- "$pk" --plugin-path "$loader/newmajor" -t newmajor "$one"
expect wrong-abi-env 2 "$loader/oldmajor/oldmajor.so: plugin refused: plugin ABI 0.0" \
    -- env PRESSKIT_PLUGIN_PATH="$loader/oldmajor" "$pk" -t oldmajor "$one"
expect plugin-path 0 "" -- "$pk" --plugin-path "$loader/good" -t testw "$one"
[ -s "$work/stdout" ] && ok || fail "plugin-path: the test writer wrote nothing"

# --- the plugin index: a run loads only the plugins it needs -----------------
plugdir=$("$pk" --help-plugin markdown | sed -n 's|^  File: *\(.*\)/markdown\.so$|\1|p')
if [ -f "$plugdir/plugins.index" ]; then
    [ "$(head -n 1 "$plugdir/plugins.index")" = "presskit-plugin-index 1" ] && ok ||
        fail "the build's plugins.index has no version line"
    # Which plugin files the dynamic linker opens (glibc's LD_DEBUG).
    loaded() {
        LD_DEBUG=files "$@" 2>&1 >/dev/null | grep -o 'file=[^ ;]*/plugins/[^ ;]*\.so' |
            sed 's|.*/||' | sort -u | tr '\n' ' '
    }
    if [ -z "${PK_WRAP:-}" ] && [ -n "$(loaded "$pk" -t json "$one")" ]; then
        got=$(loaded "$pk" -t json "$one")
        [ "$got" = "json_writer.so markdown.so " ] && ok || fail "-t json loaded: $got"
        got=$(loaded "$pk" -t atom "$one")
        [ "$got" = "atom.so markdown.so " ] && ok || fail "-t atom loaded: $got"
        "$pk" -t json "$one" >idx1.json
        got=$(loaded "$pk" -f json -t xml idx1.json)
        [ "$got" = "json_reader.so xml.so " ] && ok || fail "-f json -t xml loaded: $got"
        # -M loads the reader it names, the input the reader it needs.
        got=$(loaded "$pk" -t text -M markdown.lenient=true idx1.json)
        [ "$got" = "json_reader.so markdown.so text.so " ] && ok || fail "-M markdown.x loaded: $got"
        got=$(loaded "$pk" --list-plugins)
        [ -z "$got" ] && ok || fail "--list-plugins loaded: $got"
        got=$(loaded "$pk" --help-plugin json)
        [ "$got" = "json_reader.so json_writer.so " ] && ok || fail "--help-plugin json loaded: $got"
    fi
    # Listings read the index and print what loading every plugin would.
    for args in --list-readers --list-writers --list-plugins "--help-plugin json" \
        "--help-plugin nope" "-t nope"; do
        # shellcheck disable=SC2086
        PRESSKIT_PLUGIN_INDEX=0 "$pk" $args >eager.out 2>eager.err
        st1=$?
        # shellcheck disable=SC2086
        "$pk" $args >lazy.out 2>lazy.err
        st2=$?
        [ "$st1" = "$st2" ] && cmp -s eager.out lazy.out && cmp -s eager.err lazy.err && ok ||
            { fail "'$args' differs with the index"; diff eager.out lazy.out; diff eager.err lazy.err; }
    done
fi
# A directory of one's own: index it, then only what is used loads.
mkdir idx
cp "$loader/good/good.so" "$loader/marker/marker.so" "$loader/noentry/noentry.so" idx/
expect write-index 0 "presskit: warning: idx/noentry.so: not indexed: not a presskit plugin" \
    -- "$pk" --write-plugin-index idx
[ "$(head -n 1 idx/plugins.index)" = "presskit-plugin-index 1" ] && [ "$(grep -c '\.so	' idx/plugins.index)" = 2 ] &&
    ok || fail "write-index: $(cat idx/plugins.index)"
expect write-index-quiet 0 "" -- "$pk" -q --write-plugin-index idx
[ -s "$work/stderr" ] && fail "write-index -q: $(cat "$work/stderr")"
expect write-index-missing 2 "presskit: nope: cannot read directory" -- "$pk" --write-plugin-index nope
export PK_TEST_MARKER=$work/marker-loaded
# The file not indexed is loaded, and refused, at every start, as before.
expect index-used 0 "idx/noentry.so: plugin refused: not a presskit plugin" -- "$pk" --plugin-path idx -t testw "$one"
[ -s "$work/stdout" ] && [ ! -e "$PK_TEST_MARKER" ] && ok || fail "index-used: marker.so was loaded"
expect index-list 0 "" -- "$pk" --plugin-path idx --list-plugins
grep -q '^marker  *writer  *0\.0\.1  *idx/marker\.so  *\.txt$' "$work/stdout" && [ ! -e "$PK_TEST_MARKER" ] &&
    ok || fail "index-list: $(cat "$work/stdout")"
expect index-help 0 "" -- "$pk" --plugin-path idx --help-plugin marker
grep -qx '    marker.flag  bool  false    a test flag' "$work/stdout" && [ -e "$PK_TEST_MARKER" ] &&
    ok || fail "index-help: $(cat "$work/stdout")"
rm -f "$PK_TEST_MARKER"
# Changed since indexed: loaded at start, works.
touch -d '2001-01-01' idx/marker.so
expect index-stale 0 "" -- "$pk" --plugin-path idx -t marker "$one"
[ -e "$PK_TEST_MARKER" ] && ok || fail "index-stale: the changed file was not loaded"
# An index that lies is found out when the plugin is used, not before.
"$pk" -q --write-plugin-index idx
sed -i 's/\ttestw\t\(1\.[0-9]*\)\t0\ttxt\ttext\/plain\t0\.0\.1\t/\ttestw\t\1\t0\ttxt\ttext\/plain\t0.0.2\t/' idx/plugins.index
expect index-lie-unused 0 "" -- "$pk" --plugin-path idx -t marker "$one"
grep -q testw "$work/stderr" && fail "index-lie-unused: $(cat "$work/stderr")"
expect index-lie 2 "presskit: warning: idx/good.so: plugin refused: does not match its line in idx/plugins.index (version: \"0.0.2\" in the index, \"0.0.1\" in the plugin); run 'presskit --write-plugin-index idx'" \
    -- "$pk" --plugin-path idx -t testw "$one"
grep -qF 'unknown writer "testw"' "$work/stderr" && ok || fail "index-lie: $(cat "$work/stderr")"
unset PK_TEST_MARKER

# --- each bad input: exit 1, FILE:LINE:COL: message ---------------------------
for f in "$bad"/*.md; do
    exp=$f.expect
    [ -f "$exp" ] || { fail "$f has no .expect"; continue; }
    want=$(sed -n 1p "$exp") status=$(sed -n 2p "$exp")
    "$pk" -t json "$f" >"$work/stdout" 2>"$work/stderr"
    got=$?
    first=$(head -n 1 "$work/stderr")
    if [ "$got" != "$status" ]; then
        fail "$(basename "$f"): exit $got, expected $status"
    elif [ "$first" != "$f:$want" ]; then
        fail "$(basename "$f"): got '$first', expected '$f:$want'"
    elif [ -s "$work/stdout" ]; then
        fail "$(basename "$f"): wrote output for a bad input"
    else
        ok
    fi
done

# --- one bad file never loses the rest of a batch ----------------------------
mkdir batch
cp "$ex"/2023-*.md batch/
cp "$bad/bad-date-format.md" batch/2023-06-01-bad.md
expect batch-one-bad 1 "batch/2023-06-01-bad.md:3:7: date: expected YYYY-MM-DD" -- "$pk" -t json -o batch.json batch
grep -qF "presskit: 1 of 6 inputs failed" "$work/stderr" || fail "batch: no summary: $(cat "$work/stderr")"
n=$(grep -c '^    "format": "presskit/1"' batch.json)
[ "$n" = 5 ] || fail "batch: $n documents written, expected 5"
expect missing-input 1 "nope.md: cannot read: No such file or directory" -- "$pk" -t json -o two.json nope.md "$one"
grep -q '"title"' two.json || fail "missing-input: the other input was not converted"
expect fail-fast 1 "not converted (--fail-fast)" -- "$pk" -t json -j1 --fail-fast -o ff.json nope.md batch
expect bad-stdin 1 "<stdin>:1:1: " -- bash -c "printf 'no front matter\n' | '$pk' -t json"

# --- --errors-json: the same failures, as JSON Lines -------------------------
expect errors-json 1 "" -- "$pk" -t json -o ej.json --errors-json ej.jsonl batch nope.md
want='{"file":"batch/2023-06-01-bad.md","line":3,"column":7,"status":"invalid release","message":"date: expected YYYY-MM-DD or an RFC 3339 date-time, got \"25 Aug 2022\"","severity":"error"}
{"file":"nope.md","line":0,"column":0,"status":"input/output error","message":"cannot read: No such file or directory","severity":"error"}'
[ "$(cat ej.jsonl)" = "$want" ] && ok || { fail "errors-json"; cat ej.jsonl; }
expect errors-json-bad 2 "cannot write" -- "$pk" -t json --errors-json /proc/nonexistent/e.jsonl "$one"

# --- --lenient: invalid UTF-8 replaced with U+FFFD, with a warning ---------
printf '{"title": "T\xff", "date": "2024-01-02",\n "body": [{"type": "paragraph", "children": [{"type": "text", "text": "a\xe2\x80b"}]}]}\n' >lenient.json
expect lenient-off 1 "lenient.json:1:13: invalid JSON: unable to decode byte 0xff" -- "$pk" -t text lenient.json
expect lenient 0 "" -- "$pk" --lenient --errors-json lw.jsonl -t text lenient.json
want='lenient.json:1:13: warning: invalid UTF-8 replaced with U+FFFD
lenient.json:2:73: warning: invalid UTF-8 replaced with U+FFFD'
[ "$(cat "$work/stderr")" = "$want" ] && ok || fail "lenient: stderr: $(cat "$work/stderr")"
grep -qxF 'aï¿½'b "$work/stdout" 2>/dev/null || [ "$(sed -n '$p' "$work/stdout")" = "$(printf 'a\xef\xbf\xbdb')" ] && ok ||
    fail "lenient: no U+FFFD in $(cat "$work/stdout")"
want='{"file":"lenient.json","line":1,"column":13,"status":"warning","message":"invalid UTF-8 replaced with U+FFFD","severity":"warning"}
{"file":"lenient.json","line":2,"column":73,"status":"warning","message":"invalid UTF-8 replaced with U+FFFD","severity":"warning"}'
[ "$(cat lw.jsonl)" = "$want" ] && ok || fail "lenient: errors-json: $(cat lw.jsonl)"
expect lenient-quiet 0 "" -- "$pk" -q --lenient -t text lenient.json
[ ! -s "$work/stderr" ] && ok || fail "lenient -q printed: $(cat "$work/stderr")"
printf -- '---\ntitle: T\ndate: 2024-01-02\n---\nCaf\xe9 au lait\n' >lenient.md
expect lenient-md-off 1 "lenient.md:5:4: invalid UTF-8 at byte column 4" -- "$pk" -t text lenient.md
expect lenient-md 0 "" -- "$pk" --lenient -t text lenient.md
[ "$(cat "$work/stderr")" = "lenient.md:5:4: warning: invalid UTF-8 replaced with U+FFFD" ] && ok ||
    fail "lenient-md: stderr: $(cat "$work/stderr")"
expect lenient-M-wins 1 "invalid JSON" -- "$pk" --lenient -M json.lenient=false -t text lenient.json
expect reader-option-checked 2 "option markdown.max_depth: expected a positive integer, got 0" \
    -- "$pk" -t json -O rc -M markdown.max_depth=0 "$ex"
[ ! -e rc ] && ok || fail "a refused reader option must not create outputs"
expect fsync 0 "" -- "$pk" --fsync -t json -O fs "$ex"
[ "$(find fs -name '*.json' | wc -l)" = "$(find "$ex" -name '*.md' | wc -l)" ] && ok || fail "--fsync: outputs missing"

# --- limits -----------------------------------------------------------------
expect max-input 1 "input larger than the limit of 1024 bytes (--max-input-size)" -- "$pk" -t json --max-input-size 1K "$one"
expect max-input-stdin 1 "<stdin>: input larger than the limit" -- bash -c "'$pk' -t json --max-input-size 1K < '$one'"
expect max-input-bad 2 "--max-input-size 12Q: expected a number of bytes" -- "$pk" -t json --max-input-size 12Q "$one"

# --- SIGINT/SIGTERM: stop, leave no partial output --------------------------
# Under a checker (valgrind) start-up is slow: give the handler time.
settle=1
[ -n "${PK_WRAP:-}" ] && settle=8
"$pk" -t json -o sig.json - < <(sleep $((settle + 10))) >/dev/null 2>sig.err &
pid=$!
sleep "$settle"
kill -TERM "$pid"
wait "$pid"; st=$?
[ "$st" = 143 ] && ok || fail "SIGTERM: exit $st, expected 143 ($(cat sig.err))"
[ ! -e sig.json ] && ok || fail "SIGTERM left sig.json behind"
grep -q "interrupted after 0 of 1 inputs" sig.err && ok || fail "SIGTERM message: $(cat sig.err)"

# --- shapes: one object for one file, an array for a batch, JSON Lines -------
"$pk" -t json "$one" >single.json || fail "single: exit $?"
[ "$(head -c 1 single.json)" = "{" ] || fail "single: not an object"
"$pk" -t json -j1 "$ex" >seq.json || fail "array: exit $?"
[ "$(head -c 1 seq.json)" = "[" ] || fail "array: not an array"
"$pk" -t json -j4 "$ex" >par.json || fail "parallel: exit $?"
cmp -s seq.json par.json && ok || fail "-j4 output differs from -j1"
"$pk" -t json -M json.lines=true "$ex" >lines.jsonl || fail "lines: exit $?"
n=$(find "$ex" -name '*.md' | wc -l)
[ "$(wc -l <lines.jsonl)" = "$n" ] && ok || fail "lines: expected $n lines"
"$pk" -t json <"$one" >stdin.json && cmp -s stdin.json single.json && ok || fail "stdin differs from file"
"$pk" -t json - <"$one" >dash.json && cmp -s dash.json single.json && ok || fail "'-' differs from file"

# --- options from a YAML config file; -M wins --------------------------------
printf 'json:\n  lines: true\n' >nested.yaml
printf 'json.lines: "on"\n' >flat.yaml
"$pk" -t json --config nested.yaml "$ex" >cfg1.jsonl && cmp -s cfg1.jsonl lines.jsonl && ok || fail "config (nested) differs from -M"
"$pk" -t json --config flat.yaml "$ex" >cfg2.jsonl && cmp -s cfg2.jsonl lines.jsonl && ok || fail "config (flat) differs from -M"
"$pk" -t json --config flat.yaml -M json.lines=false "$ex" >cfg3.json && cmp -s cfg3.json seq.json && ok || fail "-M does not win over the config"
expect config-example 0 "" -- "$pk" --config "$src/examples/feed.yaml" -t atom -o feed.xml "$ex"
grep -q '<title>Example Government press releases</title>' feed.xml &&
    grep -q '<updated>2024-10-01T00:00:00+12:00</updated>' feed.xml && ok ||
    fail "examples/feed.yaml was not applied"
printf 'json:\n  lines: [1]\n' >bad1.yaml
expect config-list 2 "bad1.yaml:2:10: expected a scalar option value" -- "$pk" -t json --config bad1.yaml "$one"
printf 'json: {nope: 1}\n' >bad2.yaml
expect config-key 2 "unknown option json.nope" -- "$pk" -t json --config bad2.yaml "$one"
printf 'json: {a: 1\n' >bad3.yaml
expect config-yaml 2 "bad3.yaml:2:1: invalid YAML" -- "$pk" -t json --config bad3.yaml "$one"
expect config-missing 2 "nope.yaml: cannot read" -- "$pk" -t json --config nope.yaml "$one"

# --- -O keeps the layout below the input directory ----------------------------
expect out-dir 0 "" -- "$pk" -t json -O out "$ex"
(cd "$ex" && find . -name '*.md' | sed 's/\.md$/.json/' | sort) >want.lst
(cd out && find . -type f | sort) >got.lst
cmp -s want.lst got.lst && ok || { fail "-O layout"; diff want.lst got.lst; }
cmp -s out/2023-03-14-pacific-climate-resilience.json single.json && ok || fail "-O file differs from stdout"
expect out-file-input 0 "" -- "$pk" -t json -O out2 "$one"
[ -f out2/2023-03-14-pacific-climate-resilience.json ] && ok || fail "-O with a file input"
expect refuse-self 1 "refusing to overwrite the input itself" -- "$pk" -f json -t json -O out out
expect unwritable 1 "cannot" -- "$pk" -t json -o /proc/nonexistent/x.json "$one"
# The output named by a symbolic link or a hard link to the input is the
# input too; a link elsewhere in the output directory does not matter.
mkdir -p lk/in lk/out
cp out/2023-03-14-pacific-climate-resilience.json out/2023-05-18-school-lunch-expansion.json lk/in/
ln -s ../in/2023-03-14-pacific-climate-resilience.json lk/out/2023-03-14-pacific-climate-resilience.json
expect refuse-symlink 1 "lk/in/2023-03-14-pacific-climate-resilience.json: refusing to overwrite the input itself with lk/out/2023-03-14-pacific-climate-resilience.json" \
    -- "$pk" -f json -t json -O lk/out lk/in
[ -f lk/out/2023-05-18-school-lunch-expansion.json ] && ok || fail "refuse-symlink: the other input was not converted"
rm -f lk/out/*.json
ln lk/in/2023-05-18-school-lunch-expansion.json lk/out/2023-05-18-school-lunch-expansion.json
expect refuse-hardlink 1 "refusing to overwrite the input itself with lk/out/2023-05-18-school-lunch-expansion.json" \
    -- "$pk" -f json -t json -j2 -O lk/out lk/in
# Outputs written inside the directory being walked are not read back as
# inputs, whatever -j is: the walk sees the tree as it was at the start.
for j in 1 3; do
    rm -rf ow && mkdir -p ow/zz && cp "$ex"/2023-*.md ow/ && touch ow/zz/keep.txt
    expect "walk-own-output-j$j" 0 "" -- "$pk" -t json -j$j -O ow/zz/sub ow
    n=$(find ow/zz -name '*.json' | wc -l)
    [ "$n" = "$(ls "$ex"/2023-*.md | wc -l)" ] && ok || fail "walk-own-output-j$j: $n outputs"
done
# Operands are looked at when the batch starts: the output directory named
# as an input too, missing then, is missing, not this run's outputs.
expect late-operand 1 "lo-out: cannot read: No such file or directory" -- "$pk" -t json -j2 -O lo-out "$ex" lo-out
# Diagnostics come in input order, as they are found, whatever -j is.
mkdir -p ord/a ord/b
cp "$bad"/*.md ord/a/ && cp "$ex"/2023-*.md ord/b/ && cp "$bad"/*.md ord/b/
"$pk" -t json -j1 -O ord-out1 ord 2>ord1.err
"$pk" -t json -j4 -O ord-out4 ord 2>ord4.err
cmp -s ord1.err ord4.err && [ -s ord1.err ] && ok || { fail "diagnostics order -j1 vs -j4"; diff ord1.err ord4.err | head -5; }
n_in=$(find ord -name '*.md' | wc -l) n_bad=$(( $(ls "$bad"/*.md | wc -l) * 2 ))
grep -qxF "presskit: $n_bad of $n_in inputs failed" ord1.err && ok || fail "order summary: $(tail -n 1 ord1.err)"
expect fail-fast-dir 1 "presskit: 1 of $n_in inputs failed, $((n_in - 1)) not converted (--fail-fast)" \
    -- "$pk" -t json -j1 --fail-fast -o ff2.json ord

# --- atom: a release with no ministers is authored by its speakers ---------
printf -- '---\ntitle: No ministers\ndate: 2024-05-02\n---\n\n“We are ready,” said Jane Doe.\n\n“So are we,” said Ari Tane.\n\n“Truly,” she said.\n' >speakers.md
"$pk" -t atom speakers.md >speakers.xml 2>"$work/stderr" || fail "speakers: $(cat "$work/stderr")"
[ "$(grep -c '<name>' speakers.xml)" = 3 ] && grep -q '<name>Jane Doe</name>' speakers.xml &&
    [ "$(grep -o '<name>[^<]*</name>' speakers.xml | tail -n 2 | tr -d '\n')" = '<name>Jane Doe</name><name>Ari Tane</name>' ] &&
    ok || { fail "speakers as authors"; grep '<name>' speakers.xml; }

# --- round trip: md -> json -> json is byte-identical, wherever files live ----
mkdir -p rt/a/b
for f in "$ex"/*.md "$ex"/*/*.md "$good"/*.md; do
    name=$(basename "$f" .md)
    "$pk" -t json "$f" >"rt/$name.json" 2>"$work/stderr" || { fail "rt $name: md->json: $(cat "$work/stderr")"; continue; }
    cp "rt/$name.json" "rt/a/b/moved.json"
    "$pk" -f json -t json "rt/a/b/moved.json" >"rt/$name.2.json" 2>"$work/stderr" || { fail "rt $name: json->json: $(cat "$work/stderr")"; continue; }
    cmp -s "rt/$name.json" "rt/$name.2.json" && ok || { fail "rt $name: not byte-identical"; diff "rt/$name.json" "rt/$name.2.json" | head -5; }
done

# --- no temporary files left behind ------------------------------------------
left=$(find "$work" -name '.pk.*' | head -3)
[ -z "$left" ] && ok || fail "temporary files left: $left"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
