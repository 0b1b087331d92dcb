#!/usr/bin/env bash
# bench-peers: BM1 (../shared/peers) in reunify and in its peers, side by
# side in one run, and the England scenario in reunify: CPU nanoseconds per
# child-arm with start-up left out, (CPU at 220 iterations - CPU at 20) /
# (200 x 2 arms x 10,080 children), over ROUNDS interleaved rounds; and
# whether reunify's BM1 results agree with bm1_inverse.py's within Monte
# Carlo error. reunify runs BM1 at 20 and 5,020 iterations instead: 200
# iterations take it about 0.06 s of CPU, and GNU time counts CPU in
# hundredths of a second, which would leave a sixth of the figure to
# rounding.
#
# Usage: scripts/bench-peers.sh [ROUNDS]   (make bench-peers; ROUNDS=3)
# Needs Debian's python3-numpy and r-base-core (installed with apt-get if
# missing) and GNU time; uses /usr/bin/python3, Debian's, which has numpy.
set -euo pipefail

ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=$ROOT/../shared/peers
BIN=$ROOT/bin/reunify
PY=/usr/bin/python3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

[ -f "$PEERS/bm1.toml" ] || { echo "bench-peers: $PEERS/bm1.toml not found (../shared must sit beside the project)" >&2; exit 1; }
need=()
[ -x /usr/bin/time ] || need+=(time)
{ [ -x "$PY" ] && "$PY" -c 'import numpy' 2>/dev/null; } || need+=(python3-numpy)
command -v Rscript >/dev/null || need+=(r-base-core)
if [ ${#need[@]} -gt 0 ]; then
	echo "bench-peers: installing ${need[*]}" >&2
	SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
make -C "$ROOT" --no-print-directory build >/dev/null

# cpu CMD... prints the command's user+system CPU seconds.
cpu() {
	/usr/bin/time -f '%U %S' -o "$WORK/time" "$@" >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; exit 1; }
	awk '{printf "%.3f\n", $1 + $2}' "$WORK/time"
}

reunify_bm1() { cpu "$BIN" run --quiet --force --workers 1 --seed 1 --iterations "$1" --out "$WORK/bm1-$1" "$PEERS/bm1.toml"; }
numpy_inverse() { (cd "$PEERS" && cpu "$PY" bm1_inverse.py "$1"); }
numpy_monthly() { (cd "$PEERS" && cpu "$PY" bm1.py "$1"); }
base_r() { (cd "$PEERS" && cpu Rscript bm1.R "$1"); }
england() { cpu "$BIN" run --quiet --force --workers 1 --seed 1 --iterations "$1" --out "$WORK/england-$1" "$ROOT/scenarios/england.toml"; }

PROGS="reunify_bm1 numpy_inverse numpy_monthly base_r"
REUNIFY_HI=5020 # iterations of reunify's longer BM1 run (see above)
: >"$WORK/samples"
for r in $(seq "$ROUNDS"); do
	for p in $PROGS; do
		n=220
		if [ "$p" = reunify_bm1 ]; then n=$REUNIFY_HI; fi
		lo=$($p 20)
		hi=$($p "$n")
		echo "$p $lo $hi $((n - 20))" >>"$WORK/samples"
		if [ "$p" = numpy_inverse ]; then cp "$WORK/out" "$WORK/numpy-220.txt"; fi
	done
	# England: 2 and 6 iterations on one worker (each about 0.3 s of CPU).
	lo=$(england 2)
	hi=$(england 6)
	echo "england $lo $hi 4" >>"$WORK/samples"
	echo "bench-peers: round $r of $ROUNDS done" >&2
done

# Children per England iteration and arm, from the run's own summary.
ENG_CHILDREN=$(awk -F, '$2 == "children" { s += $3; n++ } END { printf "%.0f", s / n }' "$WORK/england-6/summary.csv")

{
	echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "CPU-ns per child-arm, start-up left out, median and range over $ROUNDS interleaved rounds:"
	printf '%-16s %10s %22s %10s\n' program median range "vs numpy_inverse"
	awk -v ec="$ENG_CHILDREN" '
		{ per = ($3 - $2) * 1e9 / ($4 * 2 * ($1 == "england" ? ec : 10080)); v[$1] = v[$1] " " per; order[$1] = NR }
		function median(s,   a, n, i, j, t) {
			n = split(s, a, " ")
			for (i = 1; i <= n; i++) a[i] += 0 # numbers, not strings
			for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			lo = a[1]; hi = a[n]
			return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
		}
		END {
			base = median(v["numpy_inverse"])
			n = split("reunify_bm1 numpy_inverse numpy_monthly base_r england", names, " ")
			for (i = 1; i <= n; i++) {
				m = median(v[names[i]])
				printf "%-16s %10.1f %10.1f to %8.1f %9.2fx\n", names[i], m, lo, hi, m / base
			}
		}' "$WORK/samples"
	echo "(vs numpy_inverse: CPU per child-arm over bm1_inverse.py's; below 1 is faster. england: scenarios/england.toml, $ENG_CHILDREN children an iteration and arm.)"
	# Agreement: reunify's mean and Monte Carlo standard error per arm
	# against bm1_inverse.py's means (same model, same spread per
	# iteration, so numpy's standard error is reunify's times the root of
	# the ratio of their iterations): within 4 standard errors of the
	# difference of two independent means.
	awk -F, -v np="$WORK/numpy-220.txt" -v nr="$REUNIFY_HI" '
		BEGIN {
			while ((getline line < np) > 0) if (line ~ /reentries=/) {
				split(line, f, /[:= ]+/); arm = f[1]; re[arm] = f[3]; co[arm] = f[5]
			}
		}
		$2 == "reentries" { rm[$1] = $3; rs[$1] = $5 }
		$2 == "cost_total_discounted" { cm[$1] = $3; cs[$1] = $5 }
		END {
			ok = 1
			k = sqrt(1 + nr / 220) # the standard error of the difference over that of reunify
			for (a in rm) {
				dr = rm[a] - re[a]; dc = cm[a] - co[a]
				pr = (dr < 0 ? -dr : dr) <= 4 * k * rs[a]; pc = (dc < 0 ? -dc : dc) <= 4 * k * cs[a]
				printf "BM1 %-9s reunify re-entries %.1f (MCSE %.1f), numpy %.1f; discounted cost %.0f (MCSE %.0f), numpy %.0f: %s\n", a, rm[a], rs[a], re[a], cm[a], cs[a], co[a], (pr && pc ? "agree" : "DISAGREE")
				ok = ok && pr && pc
			}
			exit ok ? 0 : 1
		}' "$WORK/bm1-$REUNIFY_HI/summary.csv"
}
