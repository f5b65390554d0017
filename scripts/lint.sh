#!/usr/bin/env bash
# Static checks: clang-tidy (checks in .clang-tidy) and cppcheck over src/.
# Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
PKGS=$(make -s --no-print-directory pkgs)
FLAGS="-std=c17 -D_DEFAULT_SOURCE -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS)"
mapfile -t files < <(find src -name '*.c' | sort)
echo "clang-tidy: ${#files[@]} files"
mkdir -p build
export FLAGS
printf '%s\n' "${files[@]}" |
	xargs -P "$(nproc)" -I{} sh -c 'clang-tidy --quiet "$1" -- $FLAGS 2>/dev/null' _ {} |
	tee build/clang-tidy.log || true
if grep -q 'error:\|warning:' build/clang-tidy.log; then
	echo "clang-tidy: findings above" >&2
	exit 1
fi
echo "cppcheck:"
cppcheck --quiet --error-exitcode=1 --std=c11 --enable=warning,performance,portability \
	--inline-suppr --suppress=missingIncludeSystem -Isrc -D__GNUC__ "${files[@]}"
echo "lint: clean"
