#!/usr/bin/env bash
# Real fuzzing of the tests/fuzz targets with libFuzzer (clang, ASan + UBSan):
#   scripts/fuzz.sh TARGET [SECONDS] [--merge]     one target (default 600 s)
#   scripts/fuzz.sh all [SECONDS] [--merge]        every target in turn
# Targets: convert xlsx_reader xls_reader xpath schema submission multipart json.
# Starts from the saved corpus tests/fuzz/corpus/TARGET/; new interesting inputs go to the
# scratch directory build/fuzz/corpus/TARGET/ and crashes to build/fuzz/artifacts/TARGET/.
# With --merge, scratch inputs that add coverage are merged into the saved corpus afterwards
# (check them with the replay test before committing). Builds into build/fuzz.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/packages.sh
export CCACHE_BASEDIR="$PWD"

all_targets=(convert xlsx_reader xls_reader xpath schema submission multipart json)
merge=0
args=()
for a in "$@"; do
  case "$a" in
    --merge) merge=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) args+=("$a") ;;
  esac
done
if [ ${#args[@]} -lt 1 ] || [ ${#args[@]} -gt 2 ]; then
  sed -n '2,10p' "$0" >&2; exit 2
fi
target=${args[0]}
seconds=${args[1]:-600}
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "error: SECONDS must be a number" >&2; exit 2; }
if [ "$target" = all ]; then
  targets=("${all_targets[@]}")
else
  [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "error: unknown target '$target' (${all_targets[*]} or all)" >&2; exit 2; }
  targets=("$target")
fi

gotong_install_packages "${GOTONG_BUILD_PACKAGES[@]}" clang libclang-rt-14-dev
cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DGOTONG_FUZZ=ON -DGOTONG_SANITIZE=OFF -DGOTONG_UNIT_ONLY=ON >/dev/null
cmake --build build/fuzz -j"$(nproc)" --target "${targets[@]/%/_fuzz}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  scratch=build/fuzz/corpus/$t
  artifacts=build/fuzz/artifacts/$t
  mkdir -p "$scratch" "$artifacts"
  echo "== fuzzing $t for $seconds s (new inputs: $scratch, crashes: $artifacts)"
  # The first directory receives new inputs; the saved corpus is only read.
  if ! "build/fuzz/${t}_fuzz" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/" "$scratch" "tests/fuzz/corpus/$t"; then
    echo "== $t: FINDING, see $artifacts/" >&2
    status=1
    continue
  fi
  if [ "$merge" -eq 1 ]; then
    echo "== merging new coverage of $t into tests/fuzz/corpus/$t"
    "build/fuzz/${t}_fuzz" -merge=1 -timeout=10 -rss_limit_mb=2048 "tests/fuzz/corpus/$t" "$scratch"
  fi
done
exit $status
