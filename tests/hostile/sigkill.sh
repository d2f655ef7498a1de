#!/bin/bash
# sigkill.sh PRESSKIT BENCH_GEN
#
# The fault test: kill presskit with SIGKILL at random points of a bulk
# export, RUNS times.  After each kill every output file that exists must
# be complete (byte-identical to the output of an uninterrupted run); only
# presskit's own temporaries (.pk.*.tmp) may be left beside them.  Then a
# re-run must complete the set.  The kill points (a share of the outputs
# written) come from a fixed seed, so a failure can be replayed.
set -u
pk=$1 gen=$2
runs=${RUNS:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1
passed=0 failed=0 midway=0
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }

"$gen" 400 7 in >/dev/null || { echo "corpus generation failed"; exit 1; }
"$pk" -t json -j2 -O ref in 2>err || { echo "reference run failed:"; cat err; exit 1; }
(cd ref && find . -type f | LC_ALL=C sort) >ref.lst
total=$(wc -l <ref.lst)
RANDOM=42
for i in $(seq 1 "$runs"); do
    rm -rf out
    # Kill once a random share (5% to 95%) of the outputs are in place:
    # polling the output, not a clock, so a loaded machine still kills
    # mid-export.
    target=$(( total * (5 + RANDOM % 91) / 100 ))
    "$pk" -t json -j2 -O out in 2>/dev/null &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        n=$(find out -type f ! -name '.pk.*.tmp' 2>/dev/null | wc -l)
        [ "$n" -ge "$target" ] && break
        sleep 0.005
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    bad=0
    left=0
    [ -d out ] && left=$(find out -type f ! -name '.pk.*.tmp' | wc -l)
    echo "run $i: killed after $left of $total outputs"
    [ "$left" -gt 0 ] && [ "$left" -lt "$total" ] && midway=$((midway + 1))
    if [ -d out ]; then
        while IFS= read -r f; do
            case $(basename "$f") in
                .pk.*.tmp) continue ;;   # a temporary the kill cut short
            esac
            if [ ! -f "ref/$f" ] || ! cmp -s "out/$f" "ref/$f"; then
                fail "run $i: $f is not a complete output"; bad=1
            fi
        done < <(cd out && find . -type f)
    fi
    # A re-run completes the set.
    "$pk" -t json -j2 -O out in 2>err || { fail "run $i: re-run failed: $(cat err)"; bad=1; }
    (cd out && find . -type f ! -name '.pk.*.tmp' | LC_ALL=C sort) >got.lst
    cmp -s got.lst ref.lst || { fail "run $i: re-run did not complete the set"; bad=1; }
    if [ "$bad" = 0 ]; then
        for f in $(cat ref.lst); do
            cmp -s "out/$f" "ref/$f" || { fail "run $i: $f differs after the re-run"; bad=1; break; }
        done
    fi
    [ "$bad" = 0 ] && passed=$((passed + 1))
done
# A test that never kills mid-export proves nothing: most kills must
# land between the first output and the last.
[ "$midway" -ge $((runs / 2)) ] || fail "only $midway of $runs kills landed mid-export"
echo "$passed passed, $failed failed, $midway killed mid-export"
[ "$failed" = 0 ]
