# bench/lib.sh - shared by the benchmark suites (sourced, not run).
#
# bench_write_results SUITE FILE
#   Puts the Markdown in FILE into bench/RESULTS.md as the section of SUITE:
#   everything between "<!-- begin SUITE -->" and "<!-- end SUITE -->" is
#   replaced; a suite seen for the first time is appended at the end.  The
#   other suites' sections are left as they are.
bench_write_results() {
	local suite=$1 file=$2 results=bench/RESULTS.md
	local begin="<!-- begin $suite -->" end="<!-- end $suite -->"
	if [ ! -f "$results" ]; then
		{
			echo "# Benchmark results"
			echo
			echo "Written by \`make bench\` (bench/run.sh runs each suite in bench/*/);"
			echo "bench/README.md and each suite's README say what the numbers measure."
			echo "A run replaces only the sections of the suites it ran."
		} >"$results"
	fi
	if grep -qF "$begin" "$results"; then
		awk -v b="$begin" -v e="$end" -v f="$file" '
			$0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
			$0 == e { skip = 0 }
			!skip { print }' "$results" >"$results.tmp"
	else
		{ cat "$results"; echo; echo "$begin"; cat "$file"; echo "$end"; } >"$results.tmp"
	fi
	mv "$results.tmp" "$results"
}
