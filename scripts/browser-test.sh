#!/usr/bin/env bash
# Browser test of the HTML report (make browser-test; CI runs it after
# make test). It runs the local-authority scenario with --report, opens
# report.html from disk in headless Chromium, and checks that the page
# rendered: the screenshot is not blank, the headline table is in the DOM,
# and the browser logged no console messages (the report has no scripts,
# so any console message is an error). It installs Debian's chromium if
# it is missing (CI runs as root on a fresh machine).
#
# Then it does the same for the report of "reunify appraise" (the
# appraisal pack), and checks that every section of the pack is in the
# DOM.
#
# Kept for people and CI to look at, under build/ (gitignored):
#   build/report-screenshot.png     the screenshot (1280x3000)
#   build/report.html               the report that was opened
#   build/report-dom.html           the DOM as Chromium rendered it
#   build/appraisal-screenshot.png  the appraisal pack's report (1280x14000)
#   build/appraisal.html, build/appraisal-dom.html
#   build/chromium.log              Chromium's log
set -euo pipefail
cd "$(dirname "$0")/.."

ITERATIONS=${ITERATIONS:-1000}
APPRAISE_ITERATIONS=${APPRAISE_ITERATIONS:-200}
OUT=build
mkdir -p "$OUT"

fail() { echo "browser-test: FAIL: $*" >&2; exit 1; }

CHROMIUM=${CHROMIUM:-}
if [ -z "$CHROMIUM" ]; then
	for c in chromium chromium-browser; do
		if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
	done
fi
if [ -z "$CHROMIUM" ]; then
	echo "browser-test: installing Debian's chromium"
	SUDO=
	if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
	$SUDO apt-get update
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium fonts-liberation
	CHROMIUM=chromium
fi
"$CHROMIUM" --version 2>/dev/null || true

make build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./bin/reunify run --quiet --report --iterations "$ITERATIONS" --out "$tmp/la" scenarios/local-authority.toml
report="$tmp/la/report.html"
[ -s "$report" ] || fail "run --report wrote no $report"
cp "$report" "$OUT/report.html"

size=$(wc -c <"$report")
echo "browser-test: report.html of $ITERATIONS iterations is $size bytes"
[ "$size" -lt 2097152 ] || fail "report.html is $size bytes, want under 2 MB"

# No network: the report must not need it, and CI must not wait for it.
chrome() {
	timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update --disable-sync \
		--no-first-run --no-default-browser-check --host-resolver-rules="MAP * ~NOTFOUND" \
		--user-data-dir="$(mktemp -d -p "$tmp")" --enable-logging=stderr --v=0 "$@"
}

rm -f "$OUT/report-screenshot.png"
chrome --screenshot="$OUT/report-screenshot.png" --window-size=1280,3000 --hide-scrollbars \
	"file://$report" >"$tmp/shot.out" 2>"$OUT/chromium.log" || fail "chromium could not take a screenshot (see $OUT/chromium.log)"
[ -s "$OUT/report-screenshot.png" ] || fail "no screenshot written (see $OUT/chromium.log)"
chrome --dump-dom "file://$report" >"$OUT/report-dom.html" 2>>"$OUT/chromium.log" || fail "chromium could not dump the DOM (see $OUT/chromium.log)"

# The page rendered: the headline tables and the charts are in the DOM.
grep -q '<table class="headline">' "$OUT/report-dom.html" || fail "the headline table is not in the DOM"
for want in 'Outcomes and costs of each arm' 'Each policy against baseline' 'net saving' '<svg ' 'Key findings'; do
	grep -q "$want" "$OUT/report-dom.html" || fail "the DOM lacks \"$want\""
done

# No console messages (uncaught errors, failed loads, anything).
if grep -E 'CONSOLE|Uncaught' "$OUT/chromium.log"; then
	fail "console messages while showing the report (see $OUT/chromium.log)"
fi

# The screenshot is not blank.
go run ./scripts/pngcheck "$OUT/report-screenshot.png" || fail "the screenshot looks blank: $OUT/report-screenshot.png"

# The appraisal pack's report, with every section.
./bin/reunify appraise --quiet --iterations "$APPRAISE_ITERATIONS" --out "$tmp/pack" scenarios/local-authority.toml
pack="$tmp/pack/report.html"
[ -s "$pack" ] || fail "appraise wrote no $pack"
cp "$pack" "$OUT/appraisal.html"
rm -f "$OUT/appraisal-screenshot.png"
chrome --screenshot="$OUT/appraisal-screenshot.png" --window-size=1280,14000 --hide-scrollbars \
	"file://$pack" >"$tmp/shot2.out" 2>>"$OUT/chromium.log" || fail "chromium could not take a screenshot of the appraisal (see $OUT/chromium.log)"
[ -s "$OUT/appraisal-screenshot.png" ] || fail "no appraisal screenshot written (see $OUT/chromium.log)"
chrome --dump-dom "file://$pack" >"$OUT/appraisal-dom.html" 2>>"$OUT/chromium.log" || fail "chromium could not dump the appraisal's DOM"
for id in findings-h headline-h basecase-h tornado-h breakeven-h cashflow-h offsets-h register-h voi-h acceptability-h notes-h; do
	grep -q "id=\"$id\"" "$OUT/appraisal-dom.html" || fail "the appraisal's DOM lacks the section $id"
done
for want in 'Key findings' 'Base case' 'starts at the base case' 'What would have to be true' 'pay back' 'Support spend' 'Assumption register' 'Value of information' 'beyond the costs already counted' '<svg '; do
	grep -q "$want" "$OUT/appraisal-dom.html" || fail "the appraisal's DOM lacks \"$want\""
done
if grep -E 'CONSOLE|Uncaught' "$OUT/chromium.log"; then
	fail "console messages while showing the appraisal (see $OUT/chromium.log)"
fi
go run ./scripts/pngcheck "$OUT/appraisal-screenshot.png" || fail "the appraisal screenshot looks blank: $OUT/appraisal-screenshot.png"

echo "browser-test: ok; screenshots in $OUT/report-screenshot.png and $OUT/appraisal-screenshot.png"
