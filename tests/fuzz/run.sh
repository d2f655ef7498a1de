#!/bin/sh
# run.sh FUZZER WORKDIR SECONDS DICT CORPUS_DIR...
# Runs one libFuzzer target for SECONDS under the sanitizers it was built
# with.  New inputs go to WORKDIR/corpus (never into the source tree),
# crashes to WORKDIR/artifacts; the committed CORPUS_DIRs are read only.
# Exits non-zero when the fuzzer finds a crash, a leak or a timeout.
set -eu
fuzzer=$1 work=$2 seconds=$3 dict=$4
shift 4
mkdir -p "$work/corpus" "$work/artifacts"
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    "$work/corpus" "$@"
[ -f "$dict" ] && set -- -dict="$dict" "$@"
exec "$fuzzer" "$@"
