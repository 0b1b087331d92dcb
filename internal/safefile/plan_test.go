package safefile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hashTree maps every path under dir to its content (files), target
// (links) or "dir", so that any change at all shows.
func hashTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			l, _ := os.Readlink(p)
			m[rel] = "link " + l
		case fi.IsDir():
			m[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sameTree(t *testing.T, before, after map[string]string) {
	t.Helper()
	for p, v := range before {
		if w, ok := after[p]; !ok || w != v {
			t.Errorf("%s changed or went", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was added", p)
		}
	}
}

// inDir runs f with the working folder dir.
func inDir(t *testing.T, dir string, f func()) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	f()
}

// TestPlanRefuses: every destination the rule forbids is refused with
// ErrRefused before anything is written, and the tree is as it was.
func TestPlanRefuses(t *testing.T) {
	root := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "work", "deep", "cwd"), 0o755))
	must(os.WriteFile(filepath.Join(root, "work", "notes.txt"), []byte("notes"), 0o644))
	must(os.MkdirAll(filepath.Join(root, "inputs"), 0o755))
	must(os.WriteFile(filepath.Join(root, "inputs", "s.toml"), []byte("name = \"s\"\n"), 0o644))
	must(os.WriteFile(filepath.Join(root, "afile"), []byte("x"), 0o644))
	must(os.Mkdir(filepath.Join(root, "user"), 0o755))
	must(os.WriteFile(filepath.Join(root, "user", "mine.txt"), []byte("mine"), 0o644))
	must(os.Symlink(filepath.Join(root, "user"), filepath.Join(root, "link")))
	must(os.Symlink(filepath.Join(root, "nowhere"), filepath.Join(root, "dangling")))
	res := filepath.Join(root, "res")
	earlier(t, res)
	must(os.Symlink(res, filepath.Join(root, "reslink")))
	noted := filepath.Join(root, "noted")
	earlier(t, noted)
	must(os.WriteFile(filepath.Join(noted, "my-notes.txt"), []byte("mine"), 0o644))
	must(os.WriteFile(filepath.Join(root, "events.csv"), []byte("not an event log\n"), 0o644))
	cwd := filepath.Join(root, "work", "deep", "cwd")
	input := filepath.Join(root, "inputs", "s.toml")

	tests := []struct {
		name   string
		folder bool
		force  bool
		dest   string
		owned  func(string) error
	}{
		{"the working folder", true, true, ".", nil},
		{"its parent", true, true, "..", nil},
		{"an ancestor", true, true, "../..", nil},
		{"the root of it all", true, true, root, nil},
		{"a file as a folder", true, true, filepath.Join(root, "afile"), nil},
		{"a path through a file", true, false, filepath.Join(root, "afile", "out"), nil},
		{"a user's folder", true, false, filepath.Join(root, "user"), nil},
		{"a user's folder with force", true, true, filepath.Join(root, "user"), nil},
		{"a link to a user's folder", true, true, filepath.Join(root, "link"), nil},
		{"a link to a result folder", true, true, filepath.Join(root, "reslink"), nil},
		{"a dangling link", true, false, filepath.Join(root, "dangling"), nil},
		{"a result folder without force", true, false, res, nil},
		{"a result folder with the user's notes", true, true, noted, nil},
		{"the inputs' folder", true, true, filepath.Join(root, "inputs"), nil},
		{"an input as a file", false, true, input, OwnedAny},
		{"an input through a link to its folder", false, true, filepath.Join(root, "inputs", "..", "inputs", "s.toml"), OwnedAny},
		{"an existing file", false, false, filepath.Join(root, "events.csv"), ownedLog},
		{"a file that is not an event log", false, true, filepath.Join(root, "events.csv"), ownedLog},
		{"a file never replaced", false, true, filepath.Join(root, "afile"), nil},
		{"a folder as a file", false, true, filepath.Join(root, "user"), OwnedAny},
		{"a dangling link as a file", false, true, filepath.Join(root, "dangling"), OwnedAny},
		{"a link as a file", false, true, filepath.Join(root, "link"), OwnedAny},
		{"no path", true, false, "", nil},
	}
	before := hashTree(t, root)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inDir(t, cwd, func() {
				p, err := NewPlan(tt.force, input)
				if err != nil {
					t.Fatal(err)
				}
				defer p.Abort()
				if tt.folder {
					_, err = p.Folder(tt.dest, ownedMarked)
				} else {
					_, err = p.File(tt.dest, tt.owned)
				}
				if !errors.Is(err, ErrRefused) {
					t.Errorf("%s: %v, want a refusal", tt.dest, err)
				}
				t.Log(err)
			})
		})
	}
	sameTree(t, before, hashTree(t, root))
}

// TestCommitTogetherOrNotAtAll: a folder and a file committed together;
// when the second rename fails, the first is undone and both earlier
// results are as they were.
func TestCommitTogetherOrNotAtAll(t *testing.T) {
	root := t.TempDir()
	res, log := filepath.Join(root, "res"), filepath.Join(root, "events.csv")
	earlier(t, res)
	os.WriteFile(log, []byte("iteration,arm,child,month,event,from,to,age_months\nearlier\n"), 0o644)
	before := hashTree(t, root)
	errInjected := errors.New("injected")
	renameInto = func(from, to string) error {
		if to == log {
			return errInjected
		}
		return renameIn(from, to)
	}
	defer func() { renameInto = renameIn }()
	p, _ := NewPlan(true)
	staged, err := p.Folder(res, ownedMarked)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := p.File(log, ownedLog)
	if err != nil {
		t.Fatal(err)
	}
	newResult(t, staged)
	os.WriteFile(ev, []byte("new log"), 0o644)
	if err := p.Commit(nil); !errors.Is(err, errInjected) {
		t.Fatalf("commit: %v, want the injected failure", err)
	}
	sameTree(t, before, hashTree(t, root))
}

// stopAt runs f in a goroutine that stops dead (as a killed process
// does) at the commit phase named at, and waits for it.
func stopAt(at string, f func()) {
	phase = func(name string) {
		if name == at {
			runtime.Goexit()
		}
	}
	defer func() { phase = func(string) {} }()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f()
	}()
	wg.Wait()
}

// deadPID is the process id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true command to start")
	}
	return cmd.Process.Pid
}

// killStages rewrites the owner of every stage in dir as a process that
// has ended, as if this one had been killed.
func killStages(t *testing.T, dir string, pid int) {
	t.Helper()
	es, _ := os.ReadDir(dir)
	for _, e := range es {
		if !stagePattern.MatchString(e.Name()) {
			continue
		}
		p := filepath.Join(dir, e.Name(), stageOwner)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := strings.Replace(string(b), `"pid": `+strconv.Itoa(os.Getpid()), `"pid": `+strconv.Itoa(pid), 1)
		os.WriteFile(p, []byte(s), 0o644)
	}
}

// TestRecoverAKilledCommit kills a commit of a result folder and an
// event log at every step, then lets the next writer beside them
// recover: the earlier pair or the new pair is in place, never one of
// each, and no stage is left.
func TestRecoverAKilledCommit(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs process ids")
	}
	const oldLog, newLog = "iteration,arm,child,month,event,from,to,age_months\nold\n", "iteration,arm,child,month,event,from,to,age_months\nnew\n"
	for _, tt := range []struct {
		at  string
		new bool // the new pair is in place after recovery
	}{
		{"before", false},
		{"aside-res", false},
		{"commit-res", false},
		{"aside-events.csv", false},
		{"commit-events.csv", true},
	} {
		t.Run(tt.at, func(t *testing.T) {
			root := t.TempDir()
			res, log := filepath.Join(root, "res"), filepath.Join(root, "events.csv")
			earlier(t, res)
			os.WriteFile(log, []byte(oldLog), 0o644)
			before := hashTree(t, root)
			stopAt(tt.at, func() {
				p, _ := NewPlan(true)
				staged, err := p.Folder(res, ownedMarked)
				if err != nil {
					t.Error(err)
					return
				}
				ev, err := p.File(log, ownedLog)
				if err != nil {
					t.Error(err)
					return
				}
				newResult(t, staged)
				os.WriteFile(ev, []byte(newLog), 0o644)
				phase("before")
				p.Commit(nil)
			})
			// The stages are still tracked by this (live) process: forget
			// them, as a new process would not know them.
			temps.Lock()
			temps.live = nil
			temps.Unlock()
			killStages(t, root, deadPID(t))
			notes := recoverStale(root)
			if len(notes) != 1 {
				t.Errorf("notes %q, want one", notes)
			}
			if got := names(t, root); !slices.Equal(got, []string{"events.csv", "res"}) {
				t.Errorf("after recovery the folder holds %v", got)
			}
			if !tt.new {
				sameTree(t, before, hashTree(t, root))
				return
			}
			if b, _ := os.ReadFile(log); string(b) != newLog {
				t.Errorf("event log %q, want the new one", b)
			}
			if b, _ := os.ReadFile(filepath.Join(res, resultName)); string(b) != "new" {
				t.Errorf("result folder's file %q, want the new one", b)
			}
		})
	}
}

// TestRecoverTouchesOnlyDeadReunifyStages: a stage of a live process, of
// another host or container, or whose owner.json is not reunify's is left alone;
// legacy temporary files are named, not removed.
func TestRecoverTouchesOnlyDeadReunifyStages(t *testing.T) {
	root := t.TempDir()
	dead := deadPID(t)
	mk := func(name, owner string) string {
		d := filepath.Join(root, name)
		os.MkdirAll(filepath.Join(d, stageNew), 0o755)
		os.WriteFile(filepath.Join(d, stageOwner), []byte(owner), 0o644)
		return d
	}
	host := self().Host
	ownerJSON := func(pid int, host, dest, stage string) string {
		return `{"program":"reunify","pid":` + strconv.Itoa(pid) + `,"host":"` + host + `","pid_ns":"` + self().NS + `","started":"2026-01-01T00:00:00Z","dest":"` + dest +
			`","folder":true,"commit":"c","stages":["` + stage + `"]}`
	}
	live := filepath.Join(root, ".a.reunify-tmp-0000000000000001")
	mk(filepath.Base(live), ownerJSON(os.Getpid(), host, filepath.Join(root, "a"), live))
	other := filepath.Join(root, ".b.reunify-tmp-0000000000000002")
	mk(filepath.Base(other), ownerJSON(dead, host+"-elsewhere", filepath.Join(root, "b"), other))
	container := filepath.Join(root, ".g.reunify-tmp-0000000000000006")
	mk(filepath.Base(container), strings.Replace(ownerJSON(dead, host, filepath.Join(root, "g"), container), `"pid_ns":"`+self().NS, `"pid_ns":"pid:[1]`, 1))
	bad := filepath.Join(root, ".c.reunify-tmp-0000000000000003")
	mk(filepath.Base(bad), `{"program":"something else"}`)
	far := filepath.Join(root, ".d.reunify-tmp-0000000000000004")
	mk(filepath.Base(far), ownerJSON(dead, host, "/elsewhere/d", far)) // not beside its stage
	user := filepath.Join(root, ".e.reunify-tmp-notours")
	os.Mkdir(user, 0o755)
	legacy := filepath.Join(root, ".events.csv.tmp-12345")
	os.WriteFile(legacy, []byte("partial"), 0o644)
	before := hashTree(t, root)
	notes := recoverStale(root)
	sameTree(t, before, hashTree(t, root))
	if len(notes) != 1 || !strings.Contains(notes[0], legacy) {
		t.Errorf("notes %q, want one naming %s", notes, legacy)
	}
	gone := filepath.Join(root, ".f.reunify-tmp-0000000000000005")
	mk(filepath.Base(gone), ownerJSON(dead, host, filepath.Join(root, "f"), gone))
	notes = recoverStale(root)
	if exists(gone) || len(notes) != 2 {
		t.Errorf("a dead process's stage: still there %v, notes %q", exists(gone), notes)
	}
}

// TestOpenRegularRefusesWhatIsNotAFile: devices, pipes, folders and
// links are refused without being read (a pipe without waiting).
func TestOpenRegularRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	os.Symlink("/dev/zero", filepath.Join(dir, "zero"))
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	paths := []string{filepath.Join(dir, "zero"), filepath.Join(dir, "folder")}
	if runtime.GOOS == "linux" {
		paths = append(paths, "/dev/zero")
		fifo := filepath.Join(dir, "fifo")
		if exec.Command("mkfifo", fifo).Run() == nil {
			paths = append(paths, fifo)
		}
	}
	for _, p := range paths {
		if f, err := OpenRegular(p); err == nil {
			f.Close()
			t.Errorf("OpenRegular(%s) opened it", p)
		}
		if _, err := ReadSmall(p, 10); err == nil {
			t.Errorf("ReadSmall(%s) read it", p)
		}
	}
	big := filepath.Join(dir, "big")
	os.WriteFile(big, make([]byte, 11), 0o644)
	if _, err := ReadSmall(big, 10); err == nil || !strings.Contains(err.Error(), "larger than 10 bytes") {
		t.Errorf("an 11-byte file read with a limit of 10: %v", err)
	}
}

// TestWriteFile: a new file is written; an existing one only with force
// and only if Owned accepts it; an input never.
func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fitted.toml")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	owned := OwnedPrefix("# Calibrated by")
	if err := WriteFile(path, FileOptions{Owned: owned}, write("# Calibrated by reunify\nfirst\n")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, FileOptions{Owned: owned}, write("x")); !errors.Is(err, ErrRefused) {
		t.Errorf("over an existing file without force: %v", err)
	}
	if err := WriteFile(path, FileOptions{Force: true, Owned: owned}, write("# Calibrated by reunify\nsecond\n")); err != nil {
		t.Errorf("over its own file with force: %v", err)
	}
	if err := WriteFile(path, FileOptions{Force: true, Owned: owned, Inputs: []string{path}}, write("x")); !errors.Is(err, ErrRefused) {
		t.Errorf("over an input with force: %v", err)
	}
	mine := filepath.Join(dir, "mine.toml")
	os.WriteFile(mine, []byte("name = \"mine\"\n"), 0o644)
	if err := WriteFile(mine, FileOptions{Force: true, Owned: owned}, write("x")); !errors.Is(err, ErrRefused) {
		t.Errorf("over the user's file with force: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "# Calibrated by reunify\nsecond\n" {
		t.Errorf("the file holds %q", b)
	}
	if b, _ := os.ReadFile(mine); string(b) != "name = \"mine\"\n" {
		t.Errorf("the user's file holds %q", b)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"fitted.toml", "mine.toml"}) {
		t.Errorf("the folder holds %v", got)
	}
}

// TestRecoverWithoutMarkerKeepsTheEarlier: after a power cut the rename
// that moved an earlier result aside may be on disk while the commit's
// marker is not; the earlier result still goes back, never away.
func TestRecoverWithoutMarkerKeepsTheEarlier(t *testing.T) {
	root := t.TempDir()
	res := filepath.Join(root, "res")
	earlier(t, res)
	before := hashTree(t, root)
	stopAt("aside-res", func() {
		p, _ := NewPlan(true)
		staged, err := p.Folder(res, ownedMarked)
		if err != nil {
			t.Error(err)
			return
		}
		newResult(t, staged)
		p.Commit(nil)
	})
	temps.Lock()
	temps.live = nil
	temps.Unlock()
	es, _ := os.ReadDir(root)
	for _, e := range es {
		if stagePattern.MatchString(e.Name()) {
			os.Remove(filepath.Join(root, e.Name(), stageCommit)) // the lost marker
		}
	}
	killStages(t, root, deadPID(t))
	recoverStale(root)
	sameTree(t, before, hashTree(t, root))
}

// TestRecoveryKeepsAResultChangedSinceTheKill: a commit killed part way
// is undone by the next run, which takes the new result back out; if the
// user has since added a file to it (or edited one), the undo stops
// before anything moves, says so, and removes nothing.
func TestRecoveryKeepsAResultChangedSinceTheKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("needs process ids")
	}
	for _, change := range []string{"add", "edit"} {
		t.Run(change, func(t *testing.T) {
			root := t.TempDir()
			res, log := filepath.Join(root, "res"), filepath.Join(root, "events.csv")
			earlier(t, res)
			os.WriteFile(log, []byte(logHeader+"old\n"), 0o644)
			stopAt("commit-res", func() {
				p, _ := NewPlan(true)
				staged, _ := p.Folder(res, ownedMarked)
				ev, _ := p.File(log, ownedLog)
				newResult(t, staged)
				os.WriteFile(ev, []byte(logHeader+"new\n"), 0o644)
				p.Commit(nil)
			})
			temps.Lock()
			temps.live = nil
			temps.Unlock()
			killStages(t, root, deadPID(t))
			mine := filepath.Join(res, "my-notes.txt")
			if change == "add" {
				os.WriteFile(mine, []byte("mine"), 0o644)
			} else {
				mine = filepath.Join(res, resultName)
				time.Sleep(10 * time.Millisecond)
				os.WriteFile(mine, []byte("new, with my edit"), 0o644)
			}
			b0, _ := os.ReadFile(mine)
			notes := recoverStale(root)
			if len(notes) != 1 || !strings.Contains(notes[0], "changed after it was put in place") {
				t.Errorf("notes %q", notes)
			}
			if b, err := os.ReadFile(mine); err != nil || !bytes.Equal(b, b0) {
				t.Errorf("the user's change was lost: %q %v", b, err)
			}
			var stage string
			for _, n := range names(t, root) {
				if strings.HasPrefix(n, ".res"+stageInfix) {
					stage = n
				}
			}
			if stage == "" || !exists(filepath.Join(root, stage, stageOld, marker)) {
				t.Errorf("the earlier result is not kept in its stage: %v", names(t, root))
			}
		})
	}
}
