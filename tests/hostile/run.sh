#!/bin/bash
# run.sh PRESSKIT CASES_DIR [--update]
# Runs `presskit -t json [ARGS] NAME` on each hostile input of CASES_DIR
# and compares the first line of stderr and the exit status with the
# case's sidecar, byte for byte (see cases/README).
#   NAME.md, NAME.json     an input, copied to a scratch directory first
#   NAME.EXT.sh            a sh script printing an input too big to keep
#                          (it is generated as NAME.EXT)
#   NAME.EXT.args          extra arguments, one a line (optional)
#   NAME.EXT.expect        line 1: the first stderr line after "NAME.EXT:"
#                          (empty: no stderr at all); line 2: exit status
# --update rewrites every .expect from what presskit does now: review the
# diff before committing it.
set -u
pk=$1 cases=$2 update=${3:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

for src in "$cases"/*; do
    base=${src##*/}
    case $base in
        *.md | *.json) name=$base; cp "$src" "$work/$name" ;;
        *.md.sh | *.json.sh)
            name=${base%.sh}
            sh "$src" >"$work/$name" || { echo "FAIL: $base: generator failed"; failed=$((failed + 1)); continue; } ;;
        *) continue ;;
    esac
    args=()
    if [ -f "$cases/$name.args" ]; then
        mapfile -t args <"$cases/$name.args"
    fi
    (cd "$work" && "$pk" -t json "${args[@]}" "$name" >/dev/null 2>"$work/.stderr")
    status=$?
    got=$(sed -n 1p "$work/.stderr")
    if [ "$update" = --update ]; then
        printf '%s\n%s\n' "${got#"$name:"}" "$status" >"$cases/$name.expect"
        rm -f "$work/$name"
        continue
    fi
    exp=$cases/$name.expect
    if [ ! -f "$exp" ]; then
        echo "FAIL: $name: no $name.expect"
        failed=$((failed + 1))
    else
        want_msg=$(sed -n 1p "$exp") want_status=$(sed -n 2p "$exp")
        if [ -n "$want_msg" ]; then want="$name:$want_msg"; else want=""; fi
        if [ "$status" != "$want_status" ]; then
            echo "FAIL: $name: exit $status, expected $want_status"
            sed 's/^/  stderr: /' "$work/.stderr" | head -5
            failed=$((failed + 1))
        elif [ "$got" != "$want" ]; then
            echo "FAIL: $name"
            echo "  expected: $want"
            echo "  got:      $got"
            failed=$((failed + 1))
        else
            passed=$((passed + 1))
        fi
    fi
    rm -f "$work/$name"
done
echo "hostile: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
