//go:build linux

package safefile

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// bindMount mounts the folder from at to, or skips the test where
// mounting is not permitted (it needs root).
func bindMount(t *testing.T, from, to string) {
	t.Helper()
	if out, err := exec.Command("mount", "--bind", from, to).CombinedOutput(); err != nil {
		t.Skipf("cannot bind-mount here (mount needs root): %v %s", err, out)
	}
	t.Cleanup(func() {
		// Wherever it is now: a folder renamed with a mount inside takes it along.
		b, _ := os.ReadFile("/proc/mounts")
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) > 1 && (f[1] == to || strings.HasPrefix(f[1], filepath.Dir(filepath.Dir(to))+"/")) {
				exec.Command("umount", f[1]).Run()
			}
		}
	})
}

// userFolder makes a folder of the user's with files, outside the tree.
func userFolder(t *testing.T) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "precious.txt"), []byte("mine"), 0o644)
	os.WriteFile(filepath.Join(dir, "sub", "more.txt"), []byte("more"), 0o644)
	return dir, map[string]string{"precious.txt": "mine", "sub/more.txt": "more"}
}

func intactUser(t *testing.T, dir string, want map[string]string) {
	t.Helper()
	for n, text := range want {
		if b, err := os.ReadFile(filepath.Join(dir, n)); err != nil || string(b) != text {
			t.Errorf("the user's %s was damaged: %q %v", n, b, err)
		}
	}
}

// TestRemoveTreeNeverCrossesAMountOrFollowsALink: a stage once removed
// with os.RemoveAll emptied a folder of the user's bind-mounted inside
// it. removeTree removes a symbolic link, never what it points to, and
// never descends into a folder mounted apart (a bind mount of the same
// disk included): that folder, what it holds and the folders above it
// stay, and the error names it.
func TestRemoveTreeNeverCrossesAMountOrFollowsALink(t *testing.T) {
	t.Run("a link to the user's folder", func(t *testing.T) {
		user, files := userFolder(t)
		tree := filepath.Join(t.TempDir(), "stage")
		os.MkdirAll(filepath.Join(tree, "a", "b"), 0o755)
		os.WriteFile(filepath.Join(tree, "a", "b", "x.csv"), []byte("x"), 0o644)
		os.Symlink(user, filepath.Join(tree, "a", "link"))
		os.Symlink(filepath.Join(user, "precious.txt"), filepath.Join(tree, "file-link"))
		if err := removeTree(tree); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(tree); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the tree is still there: %v", err)
		}
		intactUser(t, user, files)
	})
	t.Run("a bind mount of the user's folder, deep inside", func(t *testing.T) {
		user, files := userFolder(t)
		tree := filepath.Join(t.TempDir(), "stage")
		mnt := filepath.Join(tree, "old", "charts")
		os.MkdirAll(mnt, 0o755)
		os.WriteFile(filepath.Join(tree, "old", "summary.csv"), []byte("x"), 0o644)
		bindMount(t, user, mnt)
		err := removeTree(tree)
		if err == nil || !strings.Contains(err.Error(), mnt) || !strings.Contains(err.Error(), "mount point") {
			t.Errorf("removeTree: %v, want an error naming the mount point %s", err, mnt)
		}
		intactUser(t, user, files)
		if _, err := os.Stat(filepath.Join(tree, "old", "summary.csv")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("what is not under the mount should go: %v", err)
		}
	})
	t.Run("a commit whose owned check accepted a folder holding a mount", func(t *testing.T) {
		// Defence in depth: even if an Owned check let it through, the
		// removal of the earlier folder leaves the mount and says so.
		user, files := userFolder(t)
		root := t.TempDir()
		res := filepath.Join(root, "res")
		earlier(t, res)
		os.Mkdir(filepath.Join(res, "charts"), 0o755)
		bindMount(t, user, filepath.Join(res, "charts"))
		p, _ := NewPlan(true)
		staged, err := p.Folder(res, func(string) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(staged, resultName), []byte("new"), 0o644)
		err = p.Commit(nil)
		var ce *CleanupError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), "complete and in place") {
			t.Fatalf("Commit: %v, want a CleanupError", err)
		}
		intactUser(t, user, files)
		if b, _ := os.ReadFile(filepath.Join(res, resultName)); string(b) != "new" {
			t.Errorf("the new result is not in place: %q", b)
		}
		exec.Command("umount", filepath.Join(ce.Left, stageOld, "charts")).Run()
	})
	t.Run("Plan refuses a destination that is a mount point", func(t *testing.T) {
		user, files := userFolder(t)
		root := t.TempDir()
		mnt := filepath.Join(root, "res")
		os.Mkdir(mnt, 0o755)
		bindMount(t, user, mnt)
		p, _ := NewPlan(true)
		defer p.Abort()
		if _, err := p.Folder(mnt, func(string) error { return nil }); err == nil || !strings.Contains(err.Error(), "mount point") {
			t.Errorf("Folder: %v", err)
		}
		intactUser(t, user, files)
	})
}

// TestPlanKnowsInputsByIdentity: an input is never written over under
// another name (a hard link, a bind mount of its folder), nor is anything
// written inside an input folder, with or without force.
func TestPlanKnowsInputsByIdentity(t *testing.T) {
	root := t.TempDir()
	in := filepath.Join(root, "in")
	os.Mkdir(in, 0o755)
	sc := filepath.Join(in, "s.toml")
	os.WriteFile(sc, []byte("name = \"s\"\n"), 0o644)
	shard := filepath.Join(root, "shard-0")
	os.Mkdir(shard, 0o755)
	if err := os.Link(sc, filepath.Join(root, "hard.toml")); err != nil {
		t.Skip(err)
	}
	for _, force := range []bool{false, true} {
		p, _ := NewPlan(force, sc, shard)
		if _, err := p.File(filepath.Join(root, "hard.toml"), OwnedAny); err == nil || !strings.Contains(err.Error(), "input") {
			t.Errorf("force %v: a hard link to the input: %v", force, err)
		}
		if _, err := p.Folder(filepath.Join(shard, "merged"), nil); err == nil || !strings.Contains(err.Error(), "input") {
			t.Errorf("force %v: a folder inside an input folder: %v", force, err)
		}
		p.Abort()
	}
	alias := filepath.Join(root, "alias")
	os.Mkdir(alias, 0o755)
	bindMount(t, in, alias)
	p, _ := NewPlan(true, sc)
	defer p.Abort()
	if _, err := p.File(filepath.Join(alias, "s.toml"), OwnedAny); err == nil || !strings.Contains(err.Error(), "input") {
		t.Errorf("the input through a bind mount of its folder: %v", err)
	}
	if b, _ := os.ReadFile(sc); string(b) != "name = \"s\"\n" {
		t.Errorf("the input changed: %q", b)
	}
}

// TestFileAddedDuringTheCommitIsKept: a file the user adds to the
// earlier folder in the moment between the commit's last check and its
// move aside is not removed with it: the moved folder is checked again,
// kept, and the error says where.
func TestFileAddedDuringTheCommitIsKept(t *testing.T) {
	root := t.TempDir()
	res := filepath.Join(root, "res")
	earlier(t, res)
	p, _ := NewPlan(true)
	staged, err := p.Folder(res, ownedMarked)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(staged, resultName), []byte("new"), 0o644)
	os.WriteFile(filepath.Join(staged, marker), nil, 0o644)
	rename = func(from, to string) error {
		err := os.Rename(from, to)
		if from == res && strings.HasSuffix(to, stageOld) { // just moved aside
			os.WriteFile(filepath.Join(to, "mine.txt"), []byte("mine"), 0o644)
		}
		return err
	}
	defer func() { rename = os.Rename }()
	err = p.Commit(nil)
	var ce *CleanupError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "kept") {
		t.Fatalf("Commit: %v, want a CleanupError saying it was kept", err)
	}
	if b, err := os.ReadFile(filepath.Join(ce.Left, "mine.txt")); err != nil || string(b) != "mine" {
		t.Errorf("the user's file: %q %v", b, err)
	}
	// No later plan removes it as a dead run's stage: it has no owner.
	if _, err := os.Stat(filepath.Join(filepath.Dir(ce.Left), stageOwner)); err == nil {
		t.Error("the kept folder's stage still has its owner.json, so a later run would remove it")
	}
	q, _ := NewPlan(false)
	if _, err := q.File(filepath.Join(root, "other.csv"), nil); err != nil {
		t.Fatal(err)
	}
	q.Abort()
	if b, err := os.ReadFile(filepath.Join(ce.Left, "mine.txt")); err != nil || string(b) != "mine" {
		t.Errorf("a later plan removed the user's file: %q %v", b, err)
	}
	if b, _ := os.ReadFile(filepath.Join(res, resultName)); string(b) != "new" {
		t.Errorf("the new result is not in place: %q", b)
	}
}
