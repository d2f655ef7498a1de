#!/usr/bin/env bash
# run.sh BUILD_DIR [OPTION]... - generate the bench corpora (once) and
# run pk-bench on them; the Markdown report goes to stdout and is kept
# in BUILD_DIR/tests/bench/report-<date>.md.
#
#   --large          add N = 100,000 (1 rep, md → json and atom only)
#   --n "LIST"       corpus sizes (default "1000 10000")
#   --reps R         reps for each N below 100,000 (default 3)
#   --seed S         corpus seed (default 7)
#   --corpus-dir D   where corpora live (default $PK_BENCH_CORPUS, else
#                    ${TMPDIR:-/tmp}/pk-bench-corpus); kept between runs
#   --out D          scratch directory for outputs (default: under /dev/shm,
#                    so disk latency does not drown conversion costs; pass
#                    a disk directory to include it)
#   --configs LIST   pk-bench configs (json1,jsonN,atom1,atomN,text1,xhtml1,
#                    write,pair) for N below 100,000
#   --one-runs K     runs of the one-release measurement (default 50)
#
# Never run by ctest: `cmake --build BUILD --target bench` (or bench-large).
set -euo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
[[ $# -ge 1 ]] || usage
build=$(cd "$1" && pwd)
shift
src=$(cd "$(dirname "$0")/../.." && pwd)

sizes="1000 10000"
large=false
reps=3
seed=7
corpus_root=${PK_BENCH_CORPUS:-${TMPDIR:-/tmp}/pk-bench-corpus}
out=""
configs=""
one_runs=50
while [[ $# -gt 0 ]]; do
  case $1 in
    --large) large=true; shift ;;
    --n) sizes=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --corpus-dir) corpus_root=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --configs) configs=$2; shift 2 ;;
    --one-runs) one_runs=$2; shift 2 ;;
    *) usage ;;
  esac
done

gen=$build/tests/bench/pk-bench-gen
bench=$build/tests/bench/pk-bench
presskit=$build/bin/presskit
for exe in "$gen" "$bench" "$presskit"; do
  [[ -x $exe ]] || { echo "run.sh: $exe is missing: build first" >&2; exit 1; }
done

# A corpus is reused while gen.c is unchanged: the stamp holds its hash.
stamp_of() { sha256sum "$src/tests/bench/gen.c" | cut -d' ' -f1; }
corpus() {
  local n=$1 dir=$corpus_root/seed-$seed/$1
  if [[ ! -f $dir/.complete || $(cat "$dir/.complete") != "$(stamp_of)" ]]; then
    rm -rf "$dir"
    mkdir -p "$(dirname "$dir")"
    echo "run.sh: generating $n releases (seed $seed) in $dir" >&2
    "$gen" "$n" "$seed" "$dir" >&2
    stamp_of > "$dir/.complete"
  fi
  echo "$dir"
}

args=(run --presskit "$presskit" --one "$src/examples/releases/2023-03-14-pacific-climate-resilience.md"
      --one-runs "$one_runs" --reps "$reps")
[[ -n $out ]] && args+=(--out "$out")
[[ -n $configs ]] && args+=(--configs "$configs")
for n in $sizes; do
  args+=(--corpus "$n=$(corpus "$n")")
done
if $large; then
  # 100,000 releases: one rep of what the targets need, to fit in minutes.
  args+=(--reps 1 --configs json1,jsonN,atom1 --corpus "100000=$(corpus 100000)")
fi

report=$build/tests/bench/report-$(date +%Y%m%d-%H%M%S).md
{
  echo "# presskit benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "presskit $("$presskit" --version | cut -d' ' -f2), commit" \
       "$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
       git -C "$src" diff --quiet HEAD 2>/dev/null || echo ' (modified)'), " \
       "$(uname -sm), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  "$bench" "${args[@]}"
} | tee "$report"
echo "run.sh: report saved in $report" >&2
