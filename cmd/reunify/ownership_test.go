//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/reunify/reunify/resultdir"
)

// The tests in this file try hardest to break "--force replaces only
// what reunify wrote" and "a folder where you added a file of your own
// is refused, and the message names the file", for run --force, report
// (which always replaces its own earlier report) and --events --force:
// each change a user may make to a result folder is made, and each
// command must refuse (exit 2), change nothing, and name the file.

// withReport writes a result folder r with its report in root.
func withReport(t *testing.T, root, sc string) {
	t.Helper()
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "4", "--quiet", "--report", "--out", "r"); r.code != 0 {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
}

func TestForceAndReportKeepTheUsersFiles(t *testing.T) {
	edit := func(name string, f func([]byte) []byte) func(string) {
		return func(r string) {
			p := filepath.Join(r, name)
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(p, f(b), 0o644)
		}
	}
	add := func(name, text string) func(string) {
		return func(r string) {
			os.MkdirAll(filepath.Dir(filepath.Join(r, name)), 0o755)
			os.WriteFile(filepath.Join(r, name), []byte(text), 0o644)
		}
	}
	for _, c := range []struct {
		name, names string
		change      func(r string)
		report      bool // report r must refuse too (it writes only report.html and charts/)
	}{
		{"a photo added to charts", "family-photo.png", add("charts/family-photo.png", "photo"), true},
		{"slides added to charts", "board-slides.png", add("charts/board-slides.png", "slides"), true},
		{"notes typed into report.html", resultdir.ReportFile, edit(resultdir.ReportFile, func(b []byte) []byte {
			return bytes.Replace(b, []byte("<body>"), []byte("<body><p>MY NOTES"), 1)
		}), true},
		{"a chart redrawn by hand", "charts", func(r string) {
			es, _ := os.ReadDir(filepath.Join(r, "charts"))
			p := filepath.Join(r, "charts", es[0].Name())
			b, _ := os.ReadFile(p)
			os.WriteFile(p, append(b, ' '), 0o644)
		}, true},
		{"a report.html of the user's, the charts gone", resultdir.ReportFile, func(r string) {
			os.RemoveAll(filepath.Join(r, "charts"))
			os.WriteFile(filepath.Join(r, resultdir.ReportFile), []byte("<html>my board paper</html>"), 0o644)
		}, true},
		{"text appended to summary.csv", resultdir.SummaryFile, edit(resultdir.SummaryFile, func(b []byte) []byte { return append(b, "my notes\n"...) }), false},
		{"a number changed in iterations.csv", resultdir.IterationsFile, edit(resultdir.IterationsFile, func(b []byte) []byte {
			i := bytes.IndexAny(b[len(b)/2:], "123456789") + len(b)/2
			b[i] = '0'
			return b
		}), false},
		{"notes beside the results", "notes.txt", add("notes.txt", "mine"), false},
		{"a folder of the user's", "mine", add("mine/plan.docx", "mine"), false},
		{"a field added to manifest.json", resultdir.ManifestFile, edit(resultdir.ManifestFile, func(b []byte) []byte {
			return bytes.Replace(b, []byte("{"), []byte("{\n  \"notes\": \"mine\","), 1)
		}), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			sc := copyScenario(t, root, "s.toml", "s")
			withReport(t, root, sc)
			c.change(filepath.Join(root, "r"))
			before := tree(t, root)
			cmds := [][]string{
				{"run", sc, "--iterations", "4", "--quiet", "--force", "--out", "r"},
				{"run", sc, "--iterations", "4", "--quiet", "--force", "--report", "--out", "r"},
			}
			if c.report {
				cmds = append(cmds, []string{"report", "r"})
			}
			for _, args := range cmds {
				r := runIn(t, root, time.Minute, args...)
				if r.code != 2 {
					t.Errorf("%q: exit %d, want 2\n%s", args, r.code, r.stderr)
				}
				if !strings.Contains(r.stderr, c.names) {
					t.Errorf("%q: the message does not name %s:\n%s", args, c.names, r.stderr)
				}
				if args[0] == "report" && strings.Contains(r.stderr, "--force") {
					t.Errorf("report has no --force, but its refusal mentions it:\n%s", r.stderr)
				}
				unchanged(t, before, tree(t, root))
			}
		})
	}
	t.Run("unchanged, both are replaced", func(t *testing.T) {
		root := t.TempDir()
		sc := copyScenario(t, root, "s.toml", "s")
		withReport(t, root, sc)
		for _, args := range [][]string{{"report", "r"}, {"run", sc, "--iterations", "4", "--quiet", "--force", "--report", "--out", "r"}, {"report", "r"}, {"run", sc, "--iterations", "4", "--quiet", "--force", "--out", "r"}} {
			if r := runIn(t, root, time.Minute, args...); r.code != 0 {
				t.Fatalf("%q: exit %d\n%s", args, r.code, r.stderr)
			}
		}
		if err := resultdir.Owned(filepath.Join(root, "r")); err != nil {
			t.Error(err)
		}
	})
}

// TestForcedEventLogMustBeRecorded: --events --force once replaced any
// CSV that began with the event log's header (a user's analysis that
// started from one). Now an existing event log outside the result folder
// is replaced only if the result folder the same run replaces recorded
// it, unchanged.
func TestForcedEventLogMustBeRecorded(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	run := func(out, events string) result {
		return runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--force", "--out", out, "--events", events)
	}
	if r := run("r1", "ev0.csv"); r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	b, _ := os.ReadFile(filepath.Join(root, "ev0.csv"))
	header := b[:bytes.IndexByte(b, '\n')+1]
	os.WriteFile(filepath.Join(root, "my-analysis.csv"), append(append([]byte(nil), header...), "notes\n"...), 0o644)
	os.WriteFile(filepath.Join(root, "exact-copy.csv"), b, 0o644)
	for _, c := range []struct{ name, out, events string }{
		{"a user's CSV starting with the header, a new --out", "r2", "my-analysis.csv"},
		{"a user's CSV starting with the header, --out the folder that recorded another log", "r1", "my-analysis.csv"},
		{"an exact copy of an event log, under another name", "r1", "exact-copy.csv"},
		{"the recorded log, with --out a new folder", "r3", "ev0.csv"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := tree(t, root)
			r := run(c.out, c.events)
			if r.code != 2 || !strings.Contains(r.stderr, c.events) {
				t.Errorf("exit %d, want 2 naming %s\n%s", r.code, c.events, r.stderr)
			}
			unchanged(t, before, tree(t, root))
		})
	}
	t.Run("the recorded log, edited", func(t *testing.T) {
		f, _ := os.OpenFile(filepath.Join(root, "ev0.csv"), os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString("0,a,0,0,my note\n")
		f.Close()
		before := tree(t, root)
		if r := run("r1", "ev0.csv"); r.code != 2 || !strings.Contains(r.stderr, "ev0.csv") {
			t.Errorf("exit %d, want 2\n%s", r.code, r.stderr)
		}
		unchanged(t, before, tree(t, root))
		os.WriteFile(filepath.Join(root, "ev0.csv"), b, 0o644) // as reunify wrote it
	})
	t.Run("the recorded log with the folder that recorded it is replaced", func(t *testing.T) {
		for i := range 2 {
			if r := run("r1", "ev0.csv"); r.code != 0 {
				t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
			}
		}
	})
}

// TestInputsAreNeverWrittenUnderAnotherName: an input is recognised by
// file identity, not by its name: a hard link to the scenario as the
// event log, and merge writing inside one of its shard folders, are
// refused, with or without --force.
func TestInputsAreNeverWrittenUnderAnotherName(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	if err := os.Link(sc, filepath.Join(root, "link.csv")); err != nil {
		t.Skip(err)
	}
	for _, k := range []string{"0/2", "1/2"} {
		if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "4", "--quiet", "--shard", k, "--out", "shard-"+k[:1]); r.code != 0 {
			t.Fatalf("exit %d\n%s", r.code, r.stderr)
		}
	}
	before := tree(t, root)
	for _, args := range [][]string{
		{"run", sc, "--iterations", "2", "--quiet", "--out", "v", "--events", "link.csv", "--force"},
		{"merge", "--quiet", "--out", "shard-0/merged", "shard-0", "shard-1"},
		{"merge", "--quiet", "--force", "--out", "shard-0/merged", "shard-0", "shard-1"},
	} {
		r := runIn(t, root, time.Minute, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "input") {
			t.Errorf("%q: exit %d, want 2 and a message about an input\n%s", args, r.code, r.stderr)
		}
		unchanged(t, before, tree(t, root))
	}
}

// TestDefaultFoldersNeverCollide: a run without --out once named its
// folder to the second, so a second run in the same second was refused
// and told to add --force, which would have replaced the first. Every
// default name of the next seconds is taken here by a folder of the
// user's: the run must choose another, and touch none of them.
func TestDefaultFoldersNeverCollide(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	now := time.Now()
	for s := range 20 {
		d := filepath.Join(root, resultdir.DefaultDir("s", now.Add(time.Duration(s)*time.Second)))
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "mine.txt"), []byte("mine"), 0o644)
	}
	before := tree(t, root)
	var made []string
	for i := range 3 { // back to back: at least two in one second
		r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2")
		if r.code != 0 {
			t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
		}
		i := strings.LastIndex(r.stdout, "results in ")
		made = append(made, strings.TrimSpace(r.stdout[i+len("results in "):]))
	}
	seen := map[string]bool{}
	for _, d := range made {
		if seen[d] {
			t.Errorf("two runs wrote %s", d)
		}
		seen[d] = true
		if err := resultdir.Owned(filepath.Join(root, d)); err != nil {
			t.Errorf("%s: %v", d, err)
		}
	}
	unchanged(t, before, tree(t, root), made...)
}

// TestCleanupFailureIsReportedTruthfully: when --force has put the new
// results in place but cannot remove the earlier ones (a file made
// immutable), reunify once said "nothing was written and earlier
// results are untouched". It must say where the new results are and
// what was left where, exit 1, and the next run must finish the job once
// it can. Needs chattr and the right to use it (root).
func TestCleanupFailureIsReportedTruthfully(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "r"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	pinned := filepath.Join(root, "r", resultdir.SummaryFile)
	if out, err := exec.Command("chattr", "+i", pinned).CombinedOutput(); err != nil {
		t.Skipf("cannot make a file immutable here (chattr +i needs root and a file system that supports it): %v %s", err, out)
	}
	t.Cleanup(func() {
		filepath.Walk(root, func(p string, _ os.FileInfo, _ error) error { exec.Command("chattr", "-i", p).Run(); return nil })
	})
	r := runIn(t, root, time.Minute, "run", sc, "--iterations", "3", "--quiet", "--force", "--out", "r")
	if r.code != 1 {
		t.Errorf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "nothing was written") || strings.Contains(r.stderr, "untouched") ||
		!strings.Contains(r.stderr, "complete and in place") || !strings.Contains(r.stderr, ".r.reunify-tmp-") {
		t.Errorf("the message does not say what happened:\n%s", r.stderr)
	}
	if err := resultdir.Owned(filepath.Join(root, "r")); err != nil {
		t.Errorf("the new results are not complete in r: %v", err)
	}
	if m, err := resultdir.ReadManifest(filepath.Join(root, "r", resultdir.ManifestFile)); err != nil || m.Iterations != 3 {
		t.Errorf("r does not hold the new results: %v %+v", err, m)
	}
	// Once the file may go, the next run there removes what was left.
	filepath.Walk(root, func(p string, _ os.FileInfo, _ error) error { exec.Command("chattr", "-i", p).Run(); return nil })
	if r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "r2"); r.code != 0 || !strings.Contains(r.stderr, "removed the temporary files") {
		t.Errorf("the next run: exit %d\n%s", r.code, r.stderr)
	}
	if h := hidden(t, root); len(h) != 0 {
		t.Errorf("left behind: %v", h)
	}
}

// TestForceNeverCrossesAMount: a folder of the user's bind-mounted at
// r/charts was emptied by run --force --report. A mount point inside a
// result folder makes it not reunify's: refused, nothing under the mount
// touched. Needs the right to mount (root).
func TestForceNeverCrossesAMount(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	withReport(t, root, sc)
	user := t.TempDir()
	os.WriteFile(filepath.Join(user, "precious.png"), []byte("mine"), 0o644)
	charts := filepath.Join(root, "r", "charts")
	if out, err := exec.Command("mount", "--bind", user, charts).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here (needs root): %v %s", err, out)
	}
	t.Cleanup(func() { unmountUnder(root) })
	before, userBefore := tree(t, root), tree(t, user)
	for _, args := range [][]string{
		{"run", sc, "--iterations", "2", "--quiet", "--force", "--report", "--out", "r"},
		{"run", sc, "--iterations", "2", "--quiet", "--force", "--out", "r"},
		{"report", "r"},
	} {
		r := runIn(t, root, time.Minute, args...)
		if r.code != 2 || !strings.Contains(r.stderr, "mount point") {
			t.Errorf("%q: exit %d, want 2 naming the mount point\n%s", args, r.code, r.stderr)
		}
		unchanged(t, before, tree(t, root))
		unchanged(t, userBefore, tree(t, user))
	}
}

// TestForceNeverCrossesAFileMount: a copy of a result file bind-mounted
// over the file itself passes its checksum; --force put the new results
// in place and then failed to remove the mount (exit 1, "device or
// resource busy"), leaving it inside a stage. A file mounted there is
// refused, as a folder is, before anything moves.
func TestForceNeverCrossesAFileMount(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	withReport(t, root, sc)
	user := t.TempDir()
	charts, err := filepath.Glob(filepath.Join(root, "r", "charts", "*.png"))
	if err != nil || len(charts) == 0 {
		t.Fatalf("no charts: %v", err)
	}
	chart, _ := filepath.Rel(filepath.Join(root, "r"), charts[0])
	// run --force replaces both; report replaces the chart (it only
	// reads summary.csv, so a mount there is no matter to it).
	for name, cmds := range map[string][][]string{
		"summary.csv": {{"run", sc, "--iterations", "2", "--quiet", "--force", "--out", "r"}},
		chart:         {{"run", sc, "--iterations", "2", "--quiet", "--force", "--out", "r"}, {"report", "r"}},
	} {
		t.Run(name, func(t *testing.T) {
			target := filepath.Join(root, "r", name)
			b, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			mine := filepath.Join(user, filepath.Base(name))
			os.WriteFile(mine, b, 0o644)
			if out, err := exec.Command("mount", "--bind", mine, target).CombinedOutput(); err != nil {
				t.Skipf("cannot bind-mount here (needs root): %v %s", err, out)
			}
			defer unmountUnder(root)
			before, userBefore := tree(t, root), tree(t, user)
			for _, args := range cmds {
				r := runIn(t, root, time.Minute, args...)
				if r.code != 2 || !strings.Contains(r.stderr, "mount point") {
					t.Errorf("%q: exit %d, want 2 naming the mount point\n%s", args, r.code, r.stderr)
				}
				unchanged(t, before, tree(t, root))
				unchanged(t, userBefore, tree(t, user))
			}
		})
	}
}

// TestNotesPrintedOnce: a temporary file of an older version beside
// both the result folder and the event log was named twice.
func TestNotesPrintedOnce(t *testing.T) {
	root := t.TempDir()
	sc := copyScenario(t, root, "s.toml", "s")
	os.WriteFile(filepath.Join(root, ".r.tmp-123"), []byte("x"), 0o644)
	r := runIn(t, root, time.Minute, "run", sc, "--iterations", "2", "--quiet", "--out", "r", "--events", "ev.csv")
	if r.code != 0 || strings.Count(r.stderr, ".r.tmp-123") != 1 {
		t.Errorf("exit %d; the note should appear once:\n%s", r.code, r.stderr)
	}
}

// TestCalibrateForceKeepsTheUsersEdits: a calibrated or fitted scenario
// was recognised by its first line, so a user's hand-edits (a tuned
// number, a note) were lost to the next calibrate --force. It now ends
// with a seal of its sha256: an edited one is refused, an unchanged one
// replaced.
func TestCalibrateForceKeepsTheUsersEdits(t *testing.T) {
	data, err := filepath.Abs("../../../shared/data/ssda903-fake")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "episodes.csv")); err != nil {
		t.Skipf("the public fake SSDA903 return is not beside the project: %v", err)
	}
	small, _ := filepath.Abs("testdata/small.toml")
	for _, c := range []struct {
		name string
		args []string
	}{
		{"calibrated", []string{"calibrate", "--episodes", filepath.Join(data, "episodes.csv"), "--header", filepath.Join(data, "header.csv"), "--out", "s.toml"}},
		{"fitted", []string{"calibrate", small, "--target", "reentry_rate_12m=0.35", "--param", "home.reentry.cumulative.0", "--iterations", "20", "--out", "s.toml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			force := append(append([]string(nil), c.args...), "--force")
			for i := range 2 { // a new file, then one it wrote, unchanged
				if r := runIn(t, root, 2*time.Minute, force...); r.code != 0 {
					t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
				}
			}
			p := filepath.Join(root, "s.toml")
			b, _ := os.ReadFile(p)
			for name, edited := range map[string][]byte{
				"a note appended": append(append([]byte(nil), b...), "# my note\n"...),
				"a number tuned":  bytes.Replace(b, []byte("0."), []byte("1."), 1),
				"a line inserted": bytes.Replace(b, []byte("\n"), []byte("\n# checked with finance\n"), 1),
			} {
				os.WriteFile(p, edited, 0o644)
				before := tree(t, root)
				r := runIn(t, root, 2*time.Minute, force...)
				if r.code != 2 || !strings.Contains(r.stderr, "s.toml") {
					t.Errorf("%s: exit %d, want 2 naming s.toml\n%s", name, r.code, r.stderr)
				}
				unchanged(t, before, tree(t, root))
			}
		})
	}
}

// TestValidateModelForceKeepsTheUsersEdits: validation.csv was
// recognised by its header row, so an edited one (or a CSV of the user's
// with that header) was replaced by --force. It now has its manifest
// beside it, validation.json, with its sha256.
func TestValidateModelForceKeepsTheUsersEdits(t *testing.T) {
	root := t.TempDir()
	args := []string{"validate-model", "--quiet", "--iterations", "2", "--force", "--out", "v"}
	for i := range 2 {
		if r := runIn(t, root, 5*time.Minute, args...); r.code > 1 {
			t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
		}
	}
	p := filepath.Join(root, "v", "validation.csv")
	f, _ := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("my,row\n")
	f.Close()
	before := tree(t, root)
	if r := runIn(t, root, 5*time.Minute, args...); r.code != 2 || !strings.Contains(r.stderr, "validation.csv") {
		t.Errorf("exit %d, want 2 naming validation.csv\n%s", r.code, r.stderr)
	}
	unchanged(t, before, tree(t, root))
}

// TestCalibrateCSVFilesKeepTheUsersEdits: calibrate's dropped rows and
// backtest table were recognised by their header rows, so an edited one
// was replaced by --force. Each now has its manifest beside it with its
// sha256.
func TestCalibrateCSVFilesKeepTheUsersEdits(t *testing.T) {
	data, err := filepath.Abs("../../../shared/data/ssda903-fake")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "episodes.csv")); err != nil {
		t.Skipf("the public fake SSDA903 return is not beside the project: %v", err)
	}
	in := []string{"calibrate", "--episodes", filepath.Join(data, "episodes.csv"), "--header", filepath.Join(data, "header.csv"), "--force"}
	for _, c := range []struct {
		name, edit string
		args       []string
	}{
		{"dropped rows", "s_dropped.csv", []string{"--out", "s.toml"}},
		{"backtest table", "bt.csv", []string{"--backtest", "--iterations", "2", "--out", "bt.csv", "--dropped", "d.csv"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			args := append(append([]string(nil), in...), c.args...)
			for i := range 2 {
				if r := runIn(t, root, 2*time.Minute, args...); r.code != 0 {
					t.Fatalf("run %d: exit %d\n%s", i, r.code, r.stderr)
				}
			}
			f, err := os.OpenFile(filepath.Join(root, c.edit), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("my,notes\n")
			f.Close()
			before := tree(t, root)
			if r := runIn(t, root, 2*time.Minute, args...); r.code != 2 || !strings.Contains(r.stderr, c.edit) {
				t.Errorf("exit %d, want 2 naming %s\n%s", r.code, c.edit, r.stderr)
			}
			unchanged(t, before, tree(t, root))
		})
	}
}

// unmountUnder unmounts every mount under dir, wherever a regression
// may have moved it (a folder renamed with a mount inside takes it along).
func unmountUnder(dir string) {
	b, _ := os.ReadFile("/proc/mounts")
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.HasPrefix(f[1], dir+"/") {
			exec.Command("umount", f[1]).Run()
		}
	}
}
