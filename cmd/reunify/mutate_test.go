//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The adversarial suite: hundreds of deterministic mutations of every
// shipped scenario (lines deleted or repeated, numbers made extreme, values
// of the wrong type, NUL bytes, a byte-order mark, CRLF line ends, deep
// nesting, truncated files, duplicated tables) and extreme distribution
// parameters through --set for every family. Each case runs the binary:
// "reunify validate", then "reunify run --iterations 2 --quiet", each
// under a time limit, and asserts:
//
//   - no panic (no "panic:" or "goroutine " on stderr) and no hang;
//   - exit status 0, 1 or 2 only, and validate and run agree: what
//     validates runs (exit 0; run may also refuse a run too large, exit
//     2, "too large to run"), and what validate refuses, run refuses;
//   - exit 2 comes with a message naming the file and the line
//     (file:line:col: key: ...), or the file and the key when the key is
//     missing (and so has no line), or the --set and its key.
//
// make test runs a deterministic subset (every mutateStep-th case, about
// 15 s under the race detector); REUNIFY_FUZZ=1 (make mutate) runs them
// all.
// docs/reliability.md ("Scenario input") lists what is tried.

// mutateStep: make test runs every mutateStep-th case.
const mutateStep = 30

// mutation is one hostile input: a scenario file's text and --set
// overrides; all also runs explain and tornado on it. A case refused,
// or with says, must be refused by validate (exit 2), with a message
// saying says.
type mutation struct {
	name    string
	src     []byte
	sets    []string
	all     bool
	refused bool
	says    string
}

// extremeNumbers replace a number in a line: the largest and smallest
// floats, a negative zero, a subnormal, integers at and beyond int64,
// numbers TOML reads as infinite or not a number, and other spellings.
var extremeNumbers = []string{"1e308", "-1e308", "-0", "1e-320", "4.9e-324", "9223372036854775807",
	"-9223372036854775808", "99999999999999999999", "1e400", "nan", "inf", "-inf", "0x7fffffffffffffff", "1_000", "0.0"}

// wrongTypes replace a value: a string, a boolean, an array, a table, a
// date.
var wrongTypes = []string{`"text"`, "true", "[1, 2]", "{ a = 1 }", "1979-05-27", `"lognormal(mean=1e308, sd=1e308)"`}

var reNumber = regexp.MustCompile(`-?\b[0-9][0-9_.eE+-]*\b`)

// mutations returns the hostile variants of one scenario file, in a fixed
// order.
func mutations(name string, src []byte) []mutation {
	var out []mutation
	add := func(what string, b []byte) { out = append(out, mutation{name: name + ": " + what, src: b}) }
	lines := strings.Split(string(src), "\n")
	join := func(ls []string) []byte { return []byte(strings.Join(ls, "\n")) }
	for i, l := range lines {
		if strings.TrimSpace(l) == "" || strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		with := func(repl string) []byte {
			ls := append([]string(nil), lines...)
			ls[i] = repl
			return join(ls)
		}
		add(fmt.Sprintf("line %d deleted", i+1), join(append(append([]string(nil), lines[:i]...), lines[i+1:]...)))
		add(fmt.Sprintf("line %d repeated", i+1), with(l+"\n"+l))
		add(fmt.Sprintf("line %d cut in half", i+1), with(l[:len(l)/2]))
		add(fmt.Sprintf("line %d with a NUL", i+1), with(l[:len(l)/2]+"\x00"+l[len(l)/2:]))
		if loc := reNumber.FindStringIndex(l); loc != nil && strings.Contains(l, "=") {
			for _, x := range extremeNumbers {
				add(fmt.Sprintf("line %d: %s for %s", i+1, x, l[loc[0]:loc[1]]), with(l[:loc[0]]+x+l[loc[1]:]))
			}
		}
		if k, _, ok := strings.Cut(l, "="); ok && !strings.HasPrefix(strings.TrimSpace(l), "[") {
			for _, w := range wrongTypes {
				add(fmt.Sprintf("line %d: %s for the value", i+1, w), with(k+"= "+w))
			}
		}
	}
	add("a byte-order mark", append([]byte("\xef\xbb\xbf"), src...))
	add("CRLF line ends", bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")))
	add("CR line ends", bytes.ReplaceAll(src, []byte("\n"), []byte("\r")))
	add("tabs", bytes.ReplaceAll(src, []byte(" = "), []byte("\t=\t")))
	add("arrays nested 40 deep", append(append([]byte(nil), src...), []byte("\nx = "+strings.Repeat("[", 40)+strings.Repeat("]", 40)+"\n")...))
	add("inline tables nested 40 deep", append(append([]byte(nil), src...), []byte("\nx = "+strings.Repeat("{ a = ", 40)+"1"+strings.Repeat(" }", 40)+"\n")...))
	add("empty", nil)
	add("comments only", []byte("# nothing here\n"))
	add("garbage appended", append(append([]byte(nil), src...), []byte("\n}}]] = = \"\n")...))
	for k := 1; k < 10; k++ {
		add(fmt.Sprintf("truncated at %d0%%", k), src[:len(src)*k/10])
	}
	// Duplicated tables: the first [[placement]], [stock] and [costs]
	// blocks again at the end.
	for _, header := range []string{"[[placement]]", "[stock]", "[costs]", "[[arm]]", "[home]"} {
		if i := bytes.Index(src, []byte(header+"\n")); i >= 0 {
			end := bytes.Index(src[i+len(header):], []byte("\n["))
			if end < 0 {
				end = len(src) - i - len(header)
			}
			block := src[i : i+len(header)+end]
			add("duplicated "+header, append(append(append([]byte(nil), src...), '\n'), block...))
		}
	}
	return out
}

// misspelt inserts an x after the first letter: a name the schema does
// not know, one edit from the right one.
func misspelt(name string) string { return name[:1] + "x" + name[1:] }

var (
	reHeader = regexp.MustCompile(`^\[\[?\s*([\w.]+)\s*\]\]?`)
	reInline = regexp.MustCompile(`^\s*(\w+)\s*=\s*\{\s*(\w+)\s*=`)
)

// unknownTables returns the scenario with a misspelt table at every depth
// and in every TOML form: each table the file writes (by header, or as
// an inline table of a key under one: home.reentry, package.post), with
// each part of its path misspelt in turn, written as a table header and
// as an array of tables at the end, and as a dotted key and as nested
// inline tables at the top; and every inline table's first key misspelt
// where it is. Each must be refused (they were silently ignored when
// the misspelt table's parent was implicit or written by a dotted key).
// The tables go to always for local-authority.toml, rest for the others.
func unknownTables(name string, src []byte) (always, rest []mutation) {
	var paths []string
	seen := map[string]bool{}
	table := ""
	lines := strings.Split(string(src), "\n")
	for i, l := range lines {
		if m := reHeader.FindStringSubmatch(l); m != nil {
			table = m[1]
		} else if m := reInline.FindStringSubmatch(l); m != nil && table != "" {
			p := table + "." + m[1]
			if !seen[p] {
				seen[p] = true
				paths = append(paths, p)
			}
			ls := slices.Clone(lines)
			ls[i] = strings.Replace(l, m[2], misspelt(m[2]), 1)
			rest = append(rest, mutation{name: fmt.Sprintf("%s: line %d: the inline table's key %s misspelt", name, i+1, m[2]),
				src: []byte(strings.Join(ls, "\n")), says: fmt.Sprintf("did you mean %q?", m[2])})
			continue
		}
		if table != "" && !seen[table] {
			seen[table] = true
			paths = append(paths, table)
		}
	}
	var tables []mutation
	for _, p := range paths {
		parts := strings.Split(p, ".")
		for i := range parts {
			bad := slices.Clone(parts)
			bad[i] = misspelt(bad[i])
			q := strings.Join(bad, ".")
			inline := strings.Join(bad, " = { ") + " = { x = 1 }" + strings.Repeat(" }", len(bad)-1)
			for _, f := range []struct{ form, src, says string }{
				{"a table header at the end", string(src) + "\n[" + q + "]\nx = 1\n", fmt.Sprintf("did you mean %q?", parts[i])},
				{"an array of tables at the end", string(src) + "\n[[" + q + "]]\nx = 1\n", ""},
				{"a dotted key at the top", q + ".x = 1\n" + string(src), ""},
				{"inline tables at the top", inline + "\n" + string(src), ""},
			} {
				tables = append(tables, mutation{name: fmt.Sprintf("%s: %s misspelt at depth %d, as %s", name, p, i+1, f.form),
					src: []byte(f.src), refused: true, says: f.says})
			}
		}
	}
	// The shape found independently: a dotted key after the last table.
	tables = append(tables, mutation{name: name + ": a dotted key after the last table", src: append(slices.Clone(src), "\nzz.a = 1\n"...), says: "unknown key"})
	if name == "local-authority.toml" {
		return append(always, tables...), rest
	}
	return always, append(rest, tables...)
}

// deepKeys returns the scenario with keys nested past the limit in each
// form: a dotted key, a table header, an array-of-tables header, a
// dotted key in an inline table, a key at the limit and one beyond, and
// many keys each nearly as deep. Each is refused at once with its line
// (a dotted key 16,000 deep took 76 s and 5.7 GB, then validated).
func deepKeys(name string, src []byte) []mutation {
	dots := func(n int) string { return "zz" + strings.Repeat(".k", n-1) }
	var many strings.Builder
	for i := range 4000 {
		fmt.Fprintf(&many, "z%d%s = 1\n", i, strings.Repeat(".k", 28))
	}
	var out []mutation
	for _, f := range []struct{ what, text, says string }{
		{"a dotted key 16000 deep", dots(16000) + " = 1", "nested more than 32 deep"},
		{"a dotted key 8000 deep", dots(8000) + " = 1", "nested more than 32 deep"},
		{"a table header 16000 deep", "[" + dots(16000) + "]", "nested more than 32 deep"},
		{"an array-of-tables header 16000 deep", "[[" + dots(16000) + "]]", "nested more than 32 deep"},
		{"a quoted dotted key 16000 deep", strings.ReplaceAll(dots(16000), "k", `"k"`) + " = 1", "nested more than 32 deep"},
		{"a dotted key 16000 deep in an inline table", "x = { " + dots(16000) + " = 1 }", "nested more than 32 deep"},
		{"a key 30 deep after the last table", dots(30) + " = 1", "unknown key"},
		{"a key 31 deep after the last table", dots(31) + " = 1", "nested more than 32 deep"},
		{"4000 keys 29 deep", many.String(), "more than 100000 keys"},
	} {
		out = append(out, mutation{name: name + ": " + f.what, src: append(slices.Clone(src), "\n"+f.text+"\n"...), says: f.says})
	}
	return out
}

// distributionSets returns --set overrides with extreme parameters for
// every distribution family, on keys of every domain that the scenario
// has.
func distributionSets(name string, src []byte) []mutation {
	keys := []string{"costs.return", "costs.discount_rate", "entries.trend", "home.maltreatment_reentry_probability",
		"placement.0.weekly_cost", "placement.0.moves_per_year", "package.0.uptake", "package.0.post.hr_reentry",
		"factor.0.hr_reentry", "home.reentry.cumulative.1", "stock.mean_months_in_care"}
	if !bytes.Contains(src, []byte("[[package]]")) {
		keys = slicesWithout(keys, "package.")
	}
	if !bytes.Contains(src, []byte("[[factor]]")) {
		keys = slicesWithout(keys, "factor.")
	}
	if !bytes.Contains(src, []byte("cumulative = [")) {
		keys = slicesWithout(keys, "home.reentry.")
	}
	xs := []string{"-1", "0", "1e-320", "1e-6", "0.5", "30", "1e30", "1e308"}
	forms := []string{"beta(mean=%s, sd=%s)", "beta(alpha=%s, beta=%s)", "gamma(mean=%s, sd=%s)", "gamma(shape=%s, rate=%s)",
		"lognormal(mean=%s, sd=%s)", "lognormal(mu=%s, sigma=%s)", "normal(mean=%s, sd=%s)", "uniform(min=%s, max=%s)",
		"triangular(min=%s, mode=%s, max=1e308)", "triangular(min=0, mode=%s, max=%s)", "fixed(value=%s)%.0s"}
	var out []mutation
	for _, key := range keys {
		for _, f := range forms {
			for _, a := range xs {
				for _, b := range xs {
					d := fmt.Sprintf(f, a, b)
					out = append(out, mutation{name: fmt.Sprintf("%s: --set %s=%s", name, key, d), src: src, sets: []string{key + "=" + d}})
				}
			}
		}
		for _, x := range extremeNumbers {
			out = append(out, mutation{name: fmt.Sprintf("%s: --set %s=%s", name, key, x), src: src, sets: []string{key + "=" + x}})
		}
	}
	return out
}

func slicesWithout(keys []string, prefix string) []string {
	var out []string
	for _, k := range keys {
		if !strings.HasPrefix(k, prefix) {
			out = append(out, k)
		}
	}
	return out
}

// allMutations returns every case, over every shipped scenario and the
// examples found independently (always run).
func allMutations(t *testing.T) (always, rest []mutation) {
	files, err := filepath.Glob("../../scenarios/*.toml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped scenarios: %v", err)
	}
	sort.Strings(files)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		rest = append(rest, mutations(name, src)...)
		a, r := unknownTables(name, src)
		always, rest = append(always, a...), append(rest, r...)
		// Distributions on two scenarios: the keys are the same in all.
		if name == "local-authority.toml" || name == "residential-step-down.toml" {
			rest = append(rest, distributionSets(name, src)...)
		}
	}
	la, err := os.ReadFile("../../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []string{
		"costs.return=gamma(mean=1, sd=1e200)", "costs.return=gamma(mean=1e-200, sd=1e-200)",
		"costs.return=beta(alpha=1e300, beta=1e300)", "costs.return=triangular(min=0, mode=1e30, max=1e308)",
		"costs.return=1e305", "package.post_return_support.post.hr_reentry=lognormal(mu=0, sigma=100)",
	} {
		always = append(always, mutation{name: "found independently: --set " + set, src: la, sets: []string{set}, all: true})
	}
	always = append(always, deepKeys("local-authority.toml", la)...)
	// Arrays of tables, and an element, given whole through --set (a
	// correlation's rho was "missing"; a package's numbers were the
	// file's).
	pair := `params=["placement.kinship.weekly_cost", "placement.agency_foster.weekly_cost"]`
	for _, m := range []mutation{
		{sets: []string{`placement.kinship.weekly_cost=gamma(mean=300, sd=30)`, `placement.agency_foster.weekly_cost=gamma(mean=900, sd=90)`, "correlation=[{" + pair + ", rho=0.7}]"}},
		{sets: []string{`package=[{name="post_return_support", uptake=0.5, post={months=3, cost_per_month=400, hr_reentry="lognormal(mean=0.7, sd=0.1)"}}]`}},
		{sets: []string{`package.post_return_support={uptake="beta(mean=0.5, sd=0.05)", post={months=3}}`}},
		{sets: []string{"correlation=[{" + pair + ", rho=2}]"}, says: "must be above -1 and below 1"},
		{sets: []string{`package=[{name="post_return_support", uptak=0.5}]`}, says: `did you mean "uptake"?`},
		{sets: []string{"correlation=[1, 2]"}, says: "want a table"},
	} {
		m.name, m.src, m.all = "an array of tables through --set "+strings.Join(m.sets, " --set "), la, true
		always = append(always, m)
	}
	return always, rest
}

// TestMutatedScenarios runs the suite (see the top of this file).
// REUNIFY_MUTATE_BIN runs it against a given binary (an earlier build,
// to see what it finds there).
func TestMutatedScenarios(t *testing.T) {
	bin := os.Getenv("REUNIFY_MUTATE_BIN")
	if bin == "" {
		bin = buildReunify(t)
	}
	always, rest := allMutations(t)
	cases := always
	step := mutateStep
	if os.Getenv("REUNIFY_FUZZ") != "" {
		step = 1
	}
	for i, m := range rest {
		if i%step == 0 {
			cases = append(cases, m)
		}
	}
	t.Logf("%d cases of %d", len(cases), len(always)+len(rest))
	for i, m := range cases {
		t.Run(fmt.Sprintf("%04d", i), func(t *testing.T) {
			t.Parallel()
			checkMutation(t, bin, m)
		})
	}
}

// checkMutation runs validate and then run on one case and checks what
// they do (see the top of this file).
func checkMutation(t *testing.T, bin string, m mutation) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.toml")
	if err := os.WriteFile(path, m.src, 0o644); err != nil {
		t.Fatal(err)
	}
	var sets []string
	for _, s := range m.sets {
		sets = append(sets, "--set", s)
	}
	vcode, vout := runFor(t, m, 30*time.Second, bin, append(append([]string{"validate"}, sets...), path)...)
	if (m.refused || m.says != "") && (vcode != 2 || !strings.Contains(vout, m.says)) {
		t.Errorf("%s: validate exited %d, want 2 and a message saying %q:\n%s", m.name, vcode, m.says, vout)
	}
	rcode, rout := runFor(t, m, 120*time.Second, bin, append(append([]string{"run", "--iterations", "2", "--quiet", "--out", filepath.Join(dir, "out")}, sets...), path)...)
	results := []struct {
		cmd  string
		code int
		out  string
	}{{"validate", vcode, vout}, {"run", rcode, rout}}
	if m.all {
		// The panic found independently was in run, explain and tornado.
		ecode, eout := runFor(t, m, 30*time.Second, bin, append(append([]string{"explain"}, sets...), path)...)
		tcode, tout := runFor(t, m, 120*time.Second, bin, append(append([]string{"tornado", "--iterations", "2", "--quiet", "--out", filepath.Join(dir, "tornado")}, sets...), path)...)
		results = append(results, struct {
			cmd  string
			code int
			out  string
		}{"explain", ecode, eout}, struct {
			cmd  string
			code int
			out  string
		}{"tornado", tcode, tout})
		for _, r := range results[2:] {
			if r.code != vcode {
				t.Errorf("%s: validate exited %d but %s %d:\n%s", m.name, vcode, r.cmd, r.code, r.out)
			}
		}
	}
	for _, r := range results {
		if strings.Contains(r.out, "panic:") || strings.Contains(r.out, "goroutine ") {
			t.Fatalf("%s: %s panicked:\n%s", m.name, r.cmd, r.out)
		}
		if r.code != 0 && r.code != 1 && r.code != 2 {
			t.Fatalf("%s: %s exited %d:\n%s", m.name, r.cmd, r.code, r.out)
		}
		if r.code == 2 && !located(r.out, path, m.sets) {
			t.Errorf("%s: %s exited 2 without naming the file and line, or the --set key:\n%s", m.name, r.cmd, r.out)
		}
	}
	switch {
	case vcode == 0 && rcode == 2 && strings.Contains(rout, "too large to run"):
		// A run refused by the limits (docs/reliability.md, "Limits").
	case vcode != rcode:
		t.Errorf("%s: validate exited %d but run %d:\n%s\n%s", m.name, vcode, rcode, vout, rout)
	}
}

// reProblem matches a problem's location: file:line:col: key:, or file:
// key: (a missing key, which has no line), or --set: key:.
var reProblem = regexp.MustCompile(`(?m)^(reunify: )?(\S+?)(:\d+:\d+)?: ([A-Za-z_][\w.-]*): `)

// located reports whether out names the scenario file with a line, or a
// key, or a --set and its key, in a problem's form.
func located(out, path string, sets []string) bool {
	for _, m := range reProblem.FindAllStringSubmatch(out, -1) {
		switch file := m[2]; {
		case file == path && m[3] != "":
			return true
		case file == path:
			return true // the key, which is missing
		case file == "--set" && len(sets) > 0:
			return true
		}
	}
	// A problem with the whole file: too large, nested too deep (with its
	// line), or a TOML error before any key (with its line).
	return strings.Contains(out, path+":") && (regexp.MustCompile(regexp.QuoteMeta(path)+`:\d+:\d+: `).MatchString(out) ||
		strings.Contains(out, "is this the right file?"))
}

// TestScenarioThatIsNotAFile: every command that reads a scenario
// refuses one that is not a regular file at once, with exit 2 and a
// message saying what it is, and writes nothing: a named pipe with no
// writer (validate, explain, run and tornado waited for ever, and run's
// first Ctrl-C printed "stopping" and did nothing), one a writer feeds
// for ever, a socket, and /dev/stdin when it is a pipe. /dev/stdin is
// read when it is a file.
func TestScenarioThatIsNotAFile(t *testing.T) {
	bin := os.Getenv("REUNIFY_MUTATE_BIN")
	if bin == "" {
		bin = buildReunify(t)
	}
	dir := t.TempDir()
	fifo := func(name string, feed bool) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skip("no named pipes:", err)
		}
		if feed {
			// A writer that opens as soon as a reader does and writes a
			// scenario's first line until the reader goes, for each
			// reader in turn.
			done := make(chan struct{})
			t.Cleanup(func() {
				close(done)
				if f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
					f.Close() // ends a wait for a reader
				}
			})
			go func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					f, err := os.OpenFile(p, os.O_WRONLY, 0)
					if err != nil {
						return
					}
					for {
						if _, err := f.Write([]byte("name = \"fed\"\n")); err != nil {
							break
						}
					}
					f.Close()
				}
			}()
		}
		return p
	}
	sock := filepath.Join(dir, "socket.toml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	la, err := os.Open("../../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	defer la.Close()
	commands := [][]string{{"validate"}, {"explain"}, {"run", "--iterations", "2", "--quiet", "--out", "OUT"},
		{"tornado", "--iterations", "2", "--quiet", "--out", "OUT"}}
	tests := []struct {
		name, path string
		stdin      io.Reader
		says       string // "" for a scenario read
	}{
		{"a named pipe", fifo("fifo.toml", false), nil, "is a named pipe"},
		{"a named pipe fed for ever", fifo("fed.toml", true), nil, "is a named pipe"},
		{"a socket", sock, nil, "is a socket"},
		{"/dev/stdin a pipe", "/dev/stdin", strings.NewReader("name = \"x\"\n"), "is a named pipe"},
		{"/dev/stdin a file", "/dev/stdin", la, ""},
	}
	for _, tt := range tests {
		for i, c := range commands {
			if tt.says == "" && i > 0 {
				continue // a file: validate shows it is read
			}
			t.Run(tt.name+" "+c[0], func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "out")
				args := append(slices.Clone(c), tt.path)
				for j := range args {
					if args[j] == "OUT" {
						args[j] = out
					}
				}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				cmd := exec.CommandContext(ctx, bin, args...)
				var stderr bytes.Buffer
				cmd.Stdin, cmd.Stdout, cmd.Stderr = tt.stdin, io.Discard, &stderr
				err := cmd.Run()
				if ctx.Err() != nil {
					t.Fatalf("%s did not end within 20 s (a hang)\n%s", strings.Join(args, " "), stderr.String())
				}
				code := cmd.ProcessState.ExitCode()
				if tt.says == "" {
					if err != nil {
						t.Fatalf("%s: exit %d, want the scenario read:\n%s", strings.Join(args, " "), code, stderr.String())
					}
					return
				}
				if code != 2 || !strings.Contains(stderr.String(), tt.path+": "+tt.says) {
					t.Errorf("%s: exit %d, want 2 and %q:\n%s", strings.Join(args, " "), code, tt.path+": "+tt.says, stderr.String())
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("%s wrote %s", c[0], out)
				}
			})
		}
	}
}

// runFor runs the binary with a time limit and returns its exit status
// and output; a run that does not end in time fails the test (a hang).
func runFor(t *testing.T, m mutation, limit time.Duration, bin string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s: %s did not end within %v (a hang)\n%s", m.name, args[0], limit, out.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), out.String()
	}
	t.Fatalf("%s: %v", m.name, err)
	return 0, ""
}

// TestBatchNamesDifferingInCase: a batch gives each scenario a folder
// named after it, and on a case-insensitive disk (macOS, Windows) "LA"
// and "la" are one folder, so a batch refuses them as it refuses the
// same name twice.
func TestBatchNamesDifferingInCase(t *testing.T) {
	bin := os.Getenv("REUNIFY_MUTATE_BIN")
	if bin == "" {
		bin = buildReunify(t)
	}
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var files []string
	for _, name := range []string{"LA", "la"} {
		p := filepath.Join(dir, name+".toml")
		if err := os.WriteFile(p, bytes.Replace(small, []byte(`name = "small"`), []byte(`name = "`+name+`"`), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	m := mutation{name: "LA and la"}
	code, out := runFor(t, m, 60*time.Second, bin, append([]string{"run", "--iterations", "2", "--quiet", "--out", filepath.Join(dir, "out")}, files...)...)
	if code != 2 || !strings.Contains(out, "name the same folder") {
		t.Errorf("exit %d, want 2 and a message that the names name the same folder:\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("a result folder was written")
	}
}
