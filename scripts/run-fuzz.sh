#!/bin/bash
# run-fuzz.sh - builds every tests/fuzz/fuzz_*.c as a libFuzzer target (with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs each one on its
# seed corpus, tests/fuzz/corpus/<target>/, for FUZZ_SECONDS seconds (default
# 20).  All of src/ except src/main.c is compiled with clang into one fuzz
# library, so any target can call any part of kouprey.
#
# Prints one line per target; exits non-zero when a build fails or a target
# finds a crash, a leak, undefined behaviour or a timeout.  Crashing inputs
# are kept under build/fuzz/artifacts/; new corpus entries found during the
# run go to build/fuzz/corpus/<target>/ (the seeds in tests/ are not touched).
#
# Environment: FUZZ_SECONDS (per target), FUZZ_TARGETS (names to run, e.g.
# "fuzz_csv fuzz_table"; default all), CLANG (default clang).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${FUZZ_SECONDS:-20}
CLANG=${CLANG:-clang}
OUT=build/fuzz
PKGS=$(make -s --no-print-directory pkgs)
JOBS=$(nproc 2>/dev/null || echo 2)

if ! command -v "$CLANG" >/dev/null; then
	echo "run-fuzz: $CLANG not found (make deps installs clang and libclang-rt-14-dev)" >&2
	exit 1
fi
PKG_CFLAGS=$(pkg-config --cflags $PKGS)
PKG_LIBS="$(pkg-config --libs $PKGS) -lpthread -lm"
CFLAGS="-std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -Isrc $PKG_CFLAGS \
-DKOUPREY_SOURCE_DIR=\"$PWD\""

mkdir -p "$OUT/obj" "$OUT/bin" "$OUT/artifacts" "$OUT/corpus"

# ---- the fuzz library: all of src/ but main.c -------------------------------
# the generated sources (embedded SQL and OpenAPI) come from the normal build
make --no-print-directory build >/dev/null
mapfile -t SRCS < <(find src build/release/gen -name '*.c' ! -path src/main.c | sort)
export CLANG CFLAGS OUT
compile_one() {
	local src=$1 obj="$OUT/obj/${1%.c}.o"
	mkdir -p "$(dirname "$obj")"
	# Rebuild when the source or any header it included changed.
	if [ -f "$obj" ] && [ -f "${obj%.o}.d" ] && [ "$obj" -nt "$src" ]; then
		local stale=0 dep
		for dep in $(sed -e 's/\\$//' -e 's/^[^:]*://' "${obj%.o}.d"); do
			if [ "$dep" != "${dep%:}" ]; then continue; fi
			if [ ! -e "$dep" ] || [ "$dep" -nt "$obj" ]; then stale=1; break; fi
		done
		[ $stale = 0 ] && return 0
	fi
	# shellcheck disable=SC2086
	$CLANG $CFLAGS -MMD -MP -c "$src" -o "$obj"
}
export -f compile_one
if ! printf '%s\n' "${SRCS[@]}" | xargs -r -P "$JOBS" -I{} bash -c 'compile_one "$@"' _ {}; then
	echo "run-fuzz: building the fuzz library failed" >&2
	exit 1
fi
LIB="$OUT/libkouprey-fuzz.a"
rm -f "$LIB"
OBJS=()
for s in "${SRCS[@]}"; do OBJS+=("$OUT/obj/${s%.c}.o"); done
if [ ${#OBJS[@]} -gt 0 ]; then
	ar rcs "$LIB" "${OBJS[@]}"
fi

# ---- targets ------------------------------------------------------------------
if [ -n "${FUZZ_TARGETS:-}" ]; then
	read -r -a TARGETS <<<"$FUZZ_TARGETS"
else
	TARGETS=()
	for f in tests/fuzz/fuzz_*.c; do
		[ -e "$f" ] || continue
		t=${f##*/}
		TARGETS+=("${t%.c}")
	done
fi
if [ ${#TARGETS[@]} -eq 0 ]; then
	echo "run-fuzz: no tests/fuzz/fuzz_*.c targets" >&2
	exit 1
fi

failed=0
for t in "${TARGETS[@]}"; do
	src=tests/fuzz/$t.c
	bin=$OUT/bin/$t
	log=$OUT/$t.log
	# shellcheck disable=SC2086
	if ! $CLANG $CFLAGS -o "$bin" "$src" ${LIB:+"$LIB"} $PKG_LIBS >"$log" 2>&1; then
		echo "$t: BUILD FAILED"
		sed -n '1,40p' "$log"
		failed=1
		continue
	fi
	seeds=tests/fuzz/corpus/$t
	work=$OUT/corpus/$t
	mkdir -p "$work"
	dirs=("$work")
	[ -d "$seeds" ] && dirs+=("$seeds")
	start=$(date +%s)
	if "$bin" -max_len=65536 -max_total_time="$SECONDS_PER_TARGET" -timeout=30 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" "${dirs[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
		ninputs=$(find "${dirs[@]}" -type f | wc -l)
		echo "$t: ok, ${runs:-?} runs in $(( $(date +%s) - start )) s, coverage ${cov:-?}, corpus $ninputs inputs"
	else
		echo "$t: FAILED (log $log, artifacts $OUT/artifacts/$t-*)"
		grep -E 'ERROR|SUMMARY|check failed|runtime error|==[0-9]+==' "$log" | head -20 || true
		failed=1
	fi
done
exit $failed
