//go:build unix

package main

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/reunify/reunify/resultdir"
)

// The adversarial suite: every writer against hostile paths, merge
// against hostile shard folders, report against hostile result folders,
// and signals at every step of a run. Each case runs the real binary in
// a copy of a small world (a user's notes and folders, a scenario, a
// result folder, two shards, links) and asserts what README and
// docs/reliability.md promise: no panic, no hang, an exit status of 0,
// 1, 2, 130 or 143, and nothing the user made changed.

// world builds the template world once per test and returns its path;
// copies of it (copyWorld) are what each case runs in.
//
//	in/s.toml               the scenario (small.toml with a sampled cost)
//	notes.txt, user/mine.txt the user's files
//	afile                   a file where a folder might be expected
//	res/                    a result folder of reunify's
//	shard-0/, shard-1/      the shards of a run
//	link-user, link-res     links to user/ and res/
//	dangling                a link to nothing
//	work/deep/cwd/          the working folder of every command
func world(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	b, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.Replace(b, []byte("reentry = 2000"), []byte(`reentry = "gamma(mean=2000, sd=300)"`), 1)
	for _, d := range []string{"in", "user", "work/deep/cwd"} {
		os.MkdirAll(filepath.Join(root, d), 0o755)
	}
	os.WriteFile(filepath.Join(root, "in", "s.toml"), b, 0o644)
	os.WriteFile(filepath.Join(root, "notes.txt"), []byte("my notes\n"), 0o644)
	os.WriteFile(filepath.Join(root, "user", "mine.txt"), []byte("mine\n"), 0o644)
	os.WriteFile(filepath.Join(root, "afile"), []byte("a file\n"), 0o644)
	os.Symlink("user", filepath.Join(root, "link-user"))
	os.Symlink("res", filepath.Join(root, "link-res"))
	os.Symlink("nowhere", filepath.Join(root, "dangling"))
	for _, args := range [][]string{
		{"run", "in/s.toml", "--iterations", "4", "--quiet", "--out", "res"},
		{"run", "in/s.toml", "--iterations", "4", "--quiet", "--shard", "0/2", "--out", "shard-0"},
		{"run", "in/s.toml", "--iterations", "4", "--quiet", "--shard", "1/2", "--out", "shard-1"},
	} {
		if r := runIn(t, root, time.Minute, args...); r.code != 0 {
			t.Fatalf("%q: exit %d\n%s", args, r.code, r.stderr)
		}
	}
	return root
}

// copyWorld copies the template world to a new folder.
func copyWorld(t *testing.T, tmpl string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "w")
	if out, err := exec.Command("cp", "-a", tmpl, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v %s", err, out)
	}
	return dst
}

// change is an entry of a world that a case added, removed or altered.
type change struct {
	path  string
	added bool
}

// changes compares two trees of one world.
func changes(before, after map[string]string) []change {
	var cs []change
	for p, h := range before {
		if a, ok := after[p]; !ok || a != h {
			cs = append(cs, change{p, false})
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			cs = append(cs, change{p, true})
		}
	}
	slices.SortFunc(cs, func(a, b change) int { return strings.Compare(a.path, b.path) })
	return cs
}

func under(p, dir string) bool {
	return dir == "." || dir != "" && (p == dir || strings.HasPrefix(p, dir+"/"))
}

// TestHostileOutPaths runs every writer with every hostile place to
// write: the working folder and those above it, the user's files and
// folders, the scenario and the folder holding it, links to folders,
// dangling links, a path through a file, an input of merge, and (for
// contrast) a new path and a result folder of reunify's. Whatever the
// exit status, nothing the user made changes: a case may only write
// where it was told, add nothing hidden, and replace only what reunify
// wrote, never an input.
func TestHostileOutPaths(t *testing.T) {
	tmpl := world(t)
	const cwd = "work/deep/cwd"
	const up = "../../../" // from cwd to the world's root
	paths := []struct {
		name   string
		rel    string // as given, from cwd
		root   string // the same path from the world's root ("." for the root)
		target string // where it leads, through a link ("" if nowhere)
	}{
		{"the working folder", ".", cwd, cwd},
		{"its parent", "..", "work/deep", "work/deep"},
		{"the world's root", up, ".", "."},
		{"the user's file", up + "notes.txt", "notes.txt", "notes.txt"},
		{"the scenario", up + "in/s.toml", "in/s.toml", "in/s.toml"},
		{"the scenario's folder", up + "in", "in", "in"},
		{"the user's folder", up + "user", "user", "user"},
		{"a link to the user's folder", up + "link-user", "link-user", "user"},
		{"a link to a result folder", up + "link-res", "link-res", "res"},
		{"a dangling link", up + "dangling", "dangling", ""},
		{"a path through a file", up + "afile/x", "afile/x", "afile/x"},
		{"a shard (an input of merge)", up + "shard-0", "shard-0", "shard-0"},
		{"a result folder", up + "res", "res", "res"},
		{"a new path", up + "new/deeper/out", "new/deeper/out", "new/deeper/out"},
		{"an odd new name", up + "new\nline -x", "new\nline -x", "new\nline -x"},
	}
	scen := up + "in/s.toml"
	// A command either makes or replaces the path it is given (run,
	// merge, synth, init: never through a link), or writes new files
	// inside it (tornado, sweep, report: through a link too).
	commands := []struct {
		name   string
		args   func(p string) []string
		inside []string // the files it writes inside the path, if it writes inside
		extra  string   // another path it writes, from the world's root
		inputs []string // never changed
	}{
		{"run", func(p string) []string { return []string{"run", scen, "--iterations", "2", "--quiet", "--out", p} }, nil, "", nil},
		{"run --force", func(p string) []string {
			return []string{"run", scen, "--iterations", "2", "--quiet", "--force", "--out", p}
		}, nil, "", nil},
		{"run --report --force", func(p string) []string {
			return []string{"run", scen, "--iterations", "2", "--quiet", "--report", "--force", "--out", p}
		}, nil, "", nil},
		{"run --events", func(p string) []string {
			return []string{"run", scen, "--iterations", "2", "--quiet", "--out", up + "evout", "--events", p}
		}, nil, "evout", nil},
		{"run --events --force", func(p string) []string {
			return []string{"run", scen, "--iterations", "2", "--quiet", "--force", "--out", up + "evout", "--events", p}
		}, nil, "evout", nil},
		{"merge --force", func(p string) []string {
			return []string{"merge", "--quiet", "--force", "--out", p, up + "shard-0", up + "shard-1"}
		}, nil, "", []string{"shard-0", "shard-1"}},
		{"synth --force", func(p string) []string { return []string{"synth", scen, "--force", "--out", p} }, nil, "", nil},
		{"tornado --force", func(p string) []string {
			return []string{"tornado", scen, "--iterations", "2", "--quiet", "--force", "--out", p}
		},
			[]string{"tornado.csv", "tornado.json"}, "", nil},
		{"sweep", func(p string) []string {
			return []string{"sweep", scen, "--iterations", "2", "--quiet", "--param", "costs.return", "--values", "0,100", "--out", p}
		}, []string{"sweep.csv", "sweep.json"}, "", nil},
		{"report", func(p string) []string { return []string{"report", "--quiet", p} }, []string{"report.html", "charts"}, "", nil},
		{"init", func(p string) []string { return []string{"init", p} }, nil, "", nil},
	}
	for _, c := range commands {
		for _, pt := range paths {
			t.Run(c.name+"/"+pt.name, func(t *testing.T) {
				w := copyWorld(t, tmpl)
				before := tree(t, w)
				r := runIn(t, filepath.Join(w, cwd), time.Minute, c.args(pt.rel)...)
				if r.code != 0 && r.code != 1 && r.code != 2 {
					t.Errorf("exit %d\n%s", r.code, r.stderr)
				}
				var allowed []string
				switch {
				case c.inside == nil:
					allowed = append(allowed, pt.root)
				case pt.target != "":
					for _, f := range c.inside {
						allowed = append(allowed, filepath.Join(pt.target, f))
					}
				}
				if c.extra != "" {
					allowed = append(allowed, c.extra)
				}
				for _, ch := range changes(before, tree(t, w)) {
					base := filepath.Base(ch.path)
					// Under a path it may write, or a folder made on the way.
					ok := r.code == 0 && !strings.HasPrefix(base, ".") && slices.ContainsFunc(allowed, func(a string) bool {
						return under(ch.path, a) || ch.added && under(a, ch.path)
					})
					if !ch.added {
						// Only what reunify wrote may be replaced, never an input.
						ours := under(ch.path, "res") || under(ch.path, "shard-0") || under(ch.path, "shard-1")
						ok = ok && ours && !slices.ContainsFunc(c.inputs, func(in string) bool { return under(ch.path, in) })
					}
					if !ok {
						what := "changed or removed"
						if ch.added {
							what = "added"
						}
						t.Errorf("%q %s (exit %d)\n%s", ch.path, what, r.code, r.stderr)
					}
				}
			})
		}
	}
}

// shardWorld makes the two shards of a run with a sampled parameter in
// a new folder.
func shardWorld(t *testing.T) (root string, shards []string) {
	t.Helper()
	root = t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	for k := range 2 {
		d := filepath.Join(root, fmt.Sprintf("shard-%d", k))
		if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "6", "--quiet", "--shard", fmt.Sprintf("%d/2", k),
			"--set", "costs.reentry=gamma(mean=2000, sd=300)", "--out", d); r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
		shards = append(shards, d)
	}
	return root, shards
}

// resign records a shard file's new size and sha256 in its manifest,
// as an attacker who edits both would: then only the checks of the
// content itself stand.
func resign(t *testing.T, dir, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	editManifestOf(t, dir, func(m map[string]any) {
		for _, f := range m["files"].([]any) {
			if f := f.(map[string]any); f["name"] == name {
				f["bytes"], f["sha256"] = len(b), hex.EncodeToString(sum[:])
			}
		}
	})
}

// editManifestOf rewrites dir/manifest.json through edit.
func editManifestOf(t *testing.T, dir string, edit func(m map[string]any)) {
	t.Helper()
	p := filepath.Join(dir, resultdir.ManifestFile)
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	b, _ = json.MarshalIndent(m, "", "  ")
	os.WriteFile(p, b, 0o644)
}

// editLines rewrites a file line by line.
func editLines(t *testing.T, path string, edit func(lines []string) []string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	os.WriteFile(path, []byte(strings.Join(edit(lines), "\n")+"\n"), 0o644)
}

// cell replaces column col of line i.
func cell(lines []string, i, col int, v string) []string {
	f := strings.Split(lines[i], ",")
	f[col] = v
	lines[i] = strings.Join(f, ",")
	return lines
}

// TestHostileShardFolders merges shard folders damaged or forged in
// every way we could think of. Each is refused with exit status 2 and a
// message naming the folder, quickly, with nothing written and the
// shards as they were; the untouched shards still merge.
func TestHostileShardFolders(t *testing.T) {
	tmplRoot, tmpl := shardWorld(t)
	setField := func(k string, v any) func(t *testing.T, s string) {
		return func(t *testing.T, s string) { editManifestOf(t, s, func(m map[string]any) { m[k] = v }) }
	}
	delField := func(k string) func(t *testing.T, s string) {
		return func(t *testing.T, s string) { editManifestOf(t, s, func(m map[string]any) { delete(m, k) }) }
	}
	shardCSV := func(edit func(lines []string) []string, resigned bool) func(t *testing.T, s string) {
		return func(t *testing.T, s string) {
			editLines(t, filepath.Join(s, resultdir.ShardFile), edit)
			if resigned {
				resign(t, s, resultdir.ShardFile)
			}
		}
	}
	replaceWith := func(name string, make func(p string) error) func(t *testing.T, s string) {
		return func(t *testing.T, s string) {
			p := filepath.Join(s, name)
			os.Remove(p)
			if err := make(p); err != nil {
				t.Skip(err)
			}
		}
	}
	files := func(edit func(fs []any) []any) func(t *testing.T, s string) {
		return func(t *testing.T, s string) {
			editManifestOf(t, s, func(m map[string]any) { m["files"] = edit(m["files"].([]any)) })
		}
	}
	cases := []struct {
		name   string
		damage func(t *testing.T, s string) // applied to the second shard
		want   string                       // in the message
	}{
		// The shard file's content, as copied or edited.
		{"an edited number", shardCSV(func(l []string) []string { return cell(l, 1, 2, "12345") }, false), "has changed since it was written"},
		{"a NaN", shardCSV(func(l []string) []string { return cell(l, 1, 3, "NaN") }, false), "has changed since it was written"},
		{"an Inf", shardCSV(func(l []string) []string { return cell(l, 2, 3, "+Inf") }, false), "has changed since it was written"},
		{"a truncated file", shardCSV(func(l []string) []string { return l[:2] }, false), "has changed since it was written"},
		{"only the header", shardCSV(func(l []string) []string { return l[:1] }, false), "has changed since it was written"},
		{"CRLF line ends", shardCSV(func(l []string) []string {
			for i := range l {
				l[i] += "\r"
			}
			return l
		}, false), "has changed since it was written"},
		{"a BOM", shardCSV(func(l []string) []string { l[0] = "\ufeff" + l[0]; return l }, false), "has changed since it was written"},
		{"an edited scenario", func(t *testing.T, s string) {
			p := filepath.Join(s, resultdir.ScenarioFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, "\n# edited\n"...), 0o644)
		}, "has changed since it was written"},
		{"an edited other file", func(t *testing.T, s string) {
			editLines(t, filepath.Join(s, resultdir.SummaryFile), func(l []string) []string { return cell(l, 1, 2, "0") })
		}, "has changed since it was written"},
		// The shard file forged together with its checksum.
		{"a re-signed NaN iteration", shardCSV(func(l []string) []string { return cell(l, 1, 0, "NaN") }, true), "iteration"},
		{"re-signed rows out of order", shardCSV(func(l []string) []string { l[1], l[3] = l[3], l[1]; return l }, true), "out of"},
		{"a re-signed duplicate row", shardCSV(func(l []string) []string { return append(l, l[len(l)-1]) }, true), ""},
		{"a re-signed missing row", shardCSV(func(l []string) []string { return l[:len(l)-1] }, true), ""},
		{"a re-signed extra column", shardCSV(func(l []string) []string { l[1] += ",1"; return l }, true), "wrong number of fields"},
		{"a re-signed unknown column", shardCSV(func(l []string) []string {
			l[0] = strings.Replace(l[0], "iteration,arm,", "iteration,arm,bogus,", 1)
			return l
		}, true), "bogus"},
		{"a re-signed 17 MB line", shardCSV(func(l []string) []string { return append(l, strings.Repeat("9", 17<<20)) }, true), "longer than"},
		{"a re-signed wrong iteration", shardCSV(func(l []string) []string {
			l = cell(l, 1, 0, "100")
			return cell(l, 2, 0, "100")
		}, true), "out of order"},
		{"re-signed iterations of another shard", shardCSV(func(l []string) []string {
			for i := 1; i < len(l); i++ {
				f := strings.SplitN(l[i], ",", 2)
				n := 0
				fmt.Sscan(f[0], &n)
				l[i] = fmt.Sprint(n-1) + "," + f[1]
			}
			return l
		}, true), "does not hold iterations"},
		// Files that are not files.
		{"shard.csv as /dev/zero", replaceWith(resultdir.ShardFile, func(p string) error { return os.Symlink("/dev/zero", p) }), "not a regular file"},
		{"shard.csv as a link to the other shard's", replaceWith(resultdir.ShardFile, func(p string) error {
			return os.Symlink(filepath.Join(filepath.Dir(filepath.Dir(p)), "shard-0", resultdir.ShardFile), p)
		}), "not a regular file"},
		{"shard.csv as a pipe", replaceWith(resultdir.ShardFile, func(p string) error { return exec.Command("mkfifo", p).Run() }), "not a regular file"},
		{"shard.csv as a folder", replaceWith(resultdir.ShardFile, func(p string) error { return os.Mkdir(p, 0o755) }), "not a regular file"},
		{"shard.csv missing", replaceWith(resultdir.ShardFile, func(string) error { return nil }), "missing"},
		{"scenario.toml missing", replaceWith(resultdir.ScenarioFile, func(string) error { return nil }), "missing"},
		{"manifest.json missing", replaceWith(resultdir.ManifestFile, func(string) error { return nil }), "no manifest.json"},
		{"manifest.json as /dev/zero", replaceWith(resultdir.ManifestFile, func(p string) error { return os.Symlink("/dev/zero", p) }), "not a file reunify wrote"},
		{"manifest.json as a pipe", replaceWith(resultdir.ManifestFile, func(p string) error { return exec.Command("mkfifo", p).Run() }), "a pipe"},
		{"a 20 MB manifest", replaceWith(resultdir.ManifestFile, func(p string) error { return os.WriteFile(p, bytes.Repeat([]byte(" "), 20<<20), 0o644) }), "larger than"},
		{"a manifest that is not JSON", replaceWith(resultdir.ManifestFile, func(p string) error { return os.WriteFile(p, []byte("{not json"), 0o644) }), "manifest.json"},
		// Every field of the manifest out of range.
		{"another program", setField("program", "other"), "not a manifest reunify wrote"},
		{"no version", setField("version", ""), "version"},
		{"a 10 kB version", setField("version", strings.Repeat("v", 10000)), "version"},
		{"a control character in the commit", setField("commit", "abc\x1b[2J"), "commit"},
		{"no go_version", delField("go_version"), "go_version"},
		{"a short scenario_sha256", setField("scenario_sha256", "abc"), "scenario_sha256"},
		{"0 iterations", setField("iterations", json.Number("0")), "iterations 0"},
		{"-1 iterations", setField("iterations", json.Number("-1")), "iterations -1"},
		{"9e18 iterations", setField("iterations", json.Number("9000000000000000000")), "iterations"},
		{"iterations beyond int64", setField("iterations", json.Number("99999999999999999999")), "iterations"},
		{"fractional iterations", setField("iterations", json.Number("6.5")), "iterations"},
		{"iterations as a string", setField("iterations", "6"), "iterations"},
		{"a negative seed", setField("seed", json.Number("-1")), "seed"},
		{"0 workers", setField("workers", json.Number("0")), "workers 0"},
		{"a billion workers", setField("workers", json.Number("1000000000")), "workers"},
		{"shard 0/1000000000000", setField("shard", "1/1000000000000"), "more shards than"},
		{"shard 5/2", setField("shard", "5/2"), "shard"},
		{"shard -1/2", setField("shard", "-1/2"), "shard"},
		{"shard a/b", setField("shard", "a/b"), "shard"},
		{"a start that is not a time", setField("start", "yesterday"), "manifest.json"},
		{"an end before the start", setField("end", "2001-01-01T00:00:00Z"), "end"},
		{"a negative wall time", setField("wall_seconds", json.Number("-1")), "wall_seconds"},
		{"a wall time of 1e308", setField("wall_seconds", json.Number("1e308")), "wall_seconds"},
		{"a batch", setField("batch", []any{"x"}), "batch"},
		{"no files", delField("files"), "recorded no checksums"},
		{"shard.csv not listed", files(func(fs []any) []any {
			return slices.DeleteFunc(fs, func(f any) bool { return f.(map[string]any)["name"] == resultdir.ShardFile })
		}), "recorded no checksums"},
		{"a file listed twice", files(func(fs []any) []any { return append(fs, fs[0]) }), "listed twice"},
		{"a negative size", files(func(fs []any) []any { fs[0].(map[string]any)["bytes"] = json.Number("-1"); return fs }), "size"},
		{"a bad sha256", files(func(fs []any) []any { fs[0].(map[string]any)["sha256"] = "xyz"; return fs }), "sha256"},
		{"a listed file outside the folder", files(func(fs []any) []any {
			return append(fs, map[string]any{"name": "../shard-0/shard.csv", "bytes": 1, "sha256": strings.Repeat("0", 64)})
		}), "not a file inside the folder"},
		{"an absolute listed file", files(func(fs []any) []any {
			return append(fs, map[string]any{"name": "/etc/passwd", "bytes": 1, "sha256": strings.Repeat("0", 64)})
		}), "not a file inside the folder"},
		{"a listed /dev/zero", func(t *testing.T, s string) {
			os.Symlink("/dev/zero", filepath.Join(s, "zero"))
			files(func(fs []any) []any {
				return append(fs, map[string]any{"name": "zero", "bytes": json.Number("1000000000000"), "sha256": strings.Repeat("0", 64)})
			})(t, s)
		}, "not a regular file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := filepath.Join(t.TempDir(), "w")
			if out, err := exec.Command("cp", "-a", tmplRoot, root).CombinedOutput(); err != nil {
				t.Fatalf("cp: %v %s", err, out)
			}
			s0, s1 := filepath.Join(root, filepath.Base(tmpl[0])), filepath.Join(root, filepath.Base(tmpl[1]))
			tc.damage(t, s1)
			before := tree(t, root)
			out := filepath.Join(root, "merged")
			r := runIn(t, root, 30*time.Second, "merge", "--quiet", "--out", out, s0, s1)
			if r.code != 2 || !strings.Contains(r.stderr, s1) || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 2 naming %s and %q:\n%s", r.code, s1, tc.want, r.stderr)
			}
			if r.took > 10*time.Second {
				t.Errorf("took %v to refuse", r.took)
			}
			unchanged(t, before, tree(t, root))
		})
	}
	// Shards given twice, under two names, or missing.
	root := tmplRoot
	dup := filepath.Join(t.TempDir(), "copy-of-1")
	exec.Command("cp", "-a", tmpl[1], dup).Run()
	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"one shard twice", []string{tmpl[0], tmpl[1], tmpl[1]}, "given twice"},
		{"a copy under another name", []string{tmpl[0], tmpl[1], dup}, "given twice"},
		{"a missing shard", []string{tmpl[0]}, "shard 1/2 missing"},
	} {
		r := runIn(t, root, 30*time.Second, append([]string{"merge", "--quiet", "--out", filepath.Join(t.TempDir(), "m")}, tc.dirs...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%s: exit %d, want 2 and %q:\n%s", tc.name, r.code, tc.want, r.stderr)
		}
	}
	// And the shards as written still merge.
	if r := runIn(t, root, 30*time.Second, "merge", "--quiet", "--out", filepath.Join(t.TempDir(), "m"), tmpl[0], tmpl[1]); r.code != 0 {
		t.Errorf("the untouched shards: exit %d\n%s", r.code, r.stderr)
	}
}

// TestHostileReportFolders runs report on result folders damaged in
// every file: extreme and malformed numbers, huge years, endless and
// missing files, links, a deep scenario.toml. Each either reports (exit
// 0) or is refused (exit 2) quickly; nothing but report.html and
// charts/ changes, and only when it reports.
func TestHostileReportFolders(t *testing.T) {
	tmpl := world(t)
	res := func(w string) string { return filepath.Join(w, "res") }
	numbers := []string{"1e308", "-1e308", "-9e14", "-Inf", "NaN", "5e-324", "1e999", ""}
	type damage struct {
		name string
		do   func(t *testing.T, dir string)
	}
	var cases []damage
	for _, f := range []string{resultdir.SummaryFile, resultdir.ComparisonFile, resultdir.YearlyFile, resultdir.SurvivalFile, resultdir.AcceptabilityFile, resultdir.IterationsFile} {
		for _, v := range numbers {
			cases = append(cases, damage{f + " " + v, func(t *testing.T, dir string) {
				editLines(t, filepath.Join(dir, f), func(l []string) []string {
					for i := 1; i < len(l); i++ {
						fs := strings.Split(l[i], ",")
						for j := range fs {
							if (i+j)%2 == 0 && j >= 2 && strings.ContainsAny(fs[j], "0123456789") {
								fs[j] = v
							}
						}
						l[i] = strings.Join(fs, ",")
					}
					return l
				})
			}})
		}
	}
	cases = append(cases,
		damage{"year 9e18", func(t *testing.T, dir string) {
			editLines(t, filepath.Join(dir, resultdir.YearlyFile), func(l []string) []string { return cell(l, 1, 1, "9000000000000000000") })
		}},
		damage{"month -5", func(t *testing.T, dir string) {
			editLines(t, filepath.Join(dir, resultdir.SurvivalFile), func(l []string) []string { return cell(l, 1, 1, "-5") })
		}},
		damage{"comparison.csv as /dev/zero", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, resultdir.ComparisonFile))
			os.Symlink("/dev/zero", filepath.Join(dir, resultdir.ComparisonFile))
		}},
		damage{"iterations.csv as a pipe", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, resultdir.IterationsFile))
			exec.Command("mkfifo", filepath.Join(dir, resultdir.IterationsFile)).Run()
		}},
		damage{"a 20 MB line", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, resultdir.SummaryFile), bytes.Repeat([]byte("x"), 20<<20), 0o644)
		}},
		damage{"scenario.toml nested 100,000 deep", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, resultdir.ScenarioFile), []byte("a = "+strings.Repeat("[", 100000)), 0o644)
		}},
		damage{"a 5 MB scenario.toml", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, resultdir.ScenarioFile), bytes.Repeat([]byte("# x\n"), 5<<18), 0o644)
		}},
		damage{"no manifest", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, resultdir.ManifestFile)) }},
		damage{"charts holding a user's file", func(t *testing.T, dir string) {
			os.Mkdir(filepath.Join(dir, resultdir.ChartsDir), 0o755)
			os.WriteFile(filepath.Join(dir, resultdir.ChartsDir, "mine.docx"), []byte("mine"), 0o644)
		}},
		damage{"a report.html of the user's", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, resultdir.ReportFile), []byte("<html>my own page</html>"), 0o644)
		}},
		damage{"charts as a link", func(t *testing.T, dir string) { os.Symlink("../user", filepath.Join(dir, resultdir.ChartsDir)) }},
		damage{"a thousand arms", func(t *testing.T, dir string) {
			editLines(t, filepath.Join(dir, resultdir.SummaryFile), func(l []string) []string {
				for i := range 1000 {
					l = append(l, fmt.Sprintf("arm%d,cost_total,1,1,1,1,1,1,1,1,1,1", i))
				}
				return l
			})
		}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := copyWorld(t, tmpl)
			tc.do(t, res(w))
			before := tree(t, w)
			r := runIn(t, w, 30*time.Second, "report", "--quiet", res(w))
			if r.code != 0 && r.code != 2 {
				t.Errorf("exit %d, want 0 or 2\n%s", r.code, r.stderr)
			}
			if r.took > 15*time.Second {
				t.Errorf("took %v", r.took)
			}
			for _, ch := range changes(before, tree(t, w)) {
				if r.code != 0 || !(under(ch.path, "res/report.html") || under(ch.path, "res/charts")) || !ch.added && !under(ch.path, "res/charts") && ch.path != "res/report.html" {
					t.Errorf("%q changed (exit %d)\n%s", ch.path, r.code, r.stderr)
				}
			}
		})
	}
}

// waitFor reads lines of r until one contains want, or fails after
// limit.
func waitFor(t *testing.T, r *bufio.Reader, want string, limit time.Duration) {
	t.Helper()
	got := make(chan bool, 1)
	go func() {
		for {
			line, err := r.ReadString('\n')
			if strings.Contains(line, want) {
				got <- true
				return
			}
			if err != nil {
				got <- false
				return
			}
		}
	}()
	select {
	case ok := <-got:
		if !ok {
			t.Fatalf("the process ended before %q", want)
		}
	case <-time.After(limit):
		t.Fatalf("no %q after %v", want, limit)
	}
}

// TestSignalsAtEveryPhase stops a "run --force --report --events" that
// replaces an earlier result folder and event log at every step of its
// work (loaded, planned, simulated, written, reported, each rename of
// the commit, committed) with SIGINT, SIGTERM, two SIGINTs and SIGKILL.
// The exit status is one reunify documents; after the next reunify has
// run beside them, the folder and the log are either both the earlier
// ones or both complete new ones, never one of each or half of either,
// and nothing temporary is left.
func TestSignalsAtEveryPhase(t *testing.T) {
	bin := sharedBinary(t)
	tmpl := t.TempDir()
	sc := copyScenario(t, tmpl, "s.toml", "s")
	if r := runIn(t, tmpl, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--report", "--out", "res", "--events", "ev.csv"); r.code != 0 {
		t.Fatalf("earlier run: exit %d\n%s", r.code, r.stderr)
	}
	phases := []string{"loaded", "planned", "simulated", "written", "reported", "aside-res", "commit-res", "aside-ev.csv", "commit-ev.csv", "committed"}
	signals := []struct {
		name  string
		send  []syscall.Signal
		codes []int // exit statuses allowed
	}{
		{"SIGINT", []syscall.Signal{syscall.SIGINT}, []int{0, 1}},
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}, []int{0, 1}},
		{"SIGINT twice", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, []int{0, 130}},
		{"SIGKILL", []syscall.Signal{syscall.SIGKILL}, []int{-1}},
	}
	for _, ph := range phases {
		for _, sg := range signals {
			t.Run(ph+"/"+sg.name, func(t *testing.T) {
				t.Parallel() // mostly waiting at the pause
				root := filepath.Join(t.TempDir(), "w")
				exec.Command("cp", "-a", tmpl, root).Run()
				oldRes, oldLog := tree(t, filepath.Join(root, "res")), tree(t, filepath.Join(root, "ev.csv"))
				cmd := exec.Command(bin, "run", sc, "--iterations", "3", "--seed", "2", "--quiet", "--report", "--force", "--out", "res", "--events", "ev.csv")
				cmd.Dir = root
				cmd.Env = append(os.Environ(), "REUNIFY_TEST_PHASE="+ph, "REUNIFY_TEST_PAUSE=400ms")
				stderr, _ := cmd.StderrPipe()
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				br := bufio.NewReader(stderr)
				waitFor(t, br, "reunify-test: at "+ph, 30*time.Second)
				for i, s := range sg.send {
					if i > 0 {
						time.Sleep(50 * time.Millisecond)
					}
					cmd.Process.Signal(s)
				}
				go func() { // drain the rest
					var rest bytes.Buffer
					rest.ReadFrom(br)
				}()
				done := make(chan error, 1)
				go func() { done <- cmd.Wait() }()
				select {
				case <-done:
				case <-time.After(30 * time.Second):
					cmd.Process.Kill()
					t.Fatal("still running 30 s after the signal")
				}
				code := cmd.ProcessState.ExitCode()
				if !slices.Contains(sg.codes, code) {
					t.Errorf("exit %d, want one of %v", code, sg.codes)
				}
				// The next reunify beside them finishes or undoes what a
				// killed one left.
				if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "next"); r.code != 0 {
					t.Fatalf("next run: exit %d\n%s", r.code, r.stderr)
				}
				if left := hidden(t, root); len(left) > 0 {
					t.Errorf("left behind: %v", left)
				}
				newRes, newLog := tree(t, filepath.Join(root, "res")), tree(t, filepath.Join(root, "ev.csv"))
				resOld, logOld := sameTrees(oldRes, newRes), sameTrees(oldLog, newLog)
				t.Logf("exit %d; earlier results kept: %v", code, resOld)
				if resOld != logOld {
					t.Errorf("the result folder is the earlier one: %v, the event log is: %v: one of each", resOld, logOld)
				}
				if !resOld {
					verifyFolder(t, filepath.Join(root, "res"))
				}
			})
		}
	}
}

// sameTrees reports whether two trees are the same.
func sameTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// verifyFolder checks that every file dir's manifest lists is there,
// whole, and that the report is there too.
func verifyFolder(t *testing.T, dir string) {
	t.Helper()
	m, err := resultdir.ReadManifest(filepath.Join(dir, resultdir.ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range m.Files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		sum := sha256.Sum256(b)
		if err != nil || int64(len(b)) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Errorf("%s is not as its manifest lists it (%v)", f.Name, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, resultdir.ReportFile)); err != nil {
		t.Errorf("the new folder has no report: %v", err)
	}
}
