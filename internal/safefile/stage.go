package safefile

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Every file or folder reunify writes is built in a stage: a hidden
// folder beside its destination, named .<base>.reunify-tmp-<random>,
// holding
//
//	owner.json   who made it: program, process id, host, boot and start
//	             time of the process, the destination, and every stage
//	             of the same commit (a command that writes a result
//	             folder and an event log commits both together)
//	new          the folder or file being built
//	committing   present once the commit's renames have begun
//	old          during and after a commit, the earlier folder or file,
//	             moved aside (removed with the stage)
//
// The stage is created before any work, so an unwritable destination is
// found at once; the commit renames new into place; a stage that a
// killed process left behind is found by the next reunify that writes
// beside it, which finishes or undoes its commit and removes it. Only
// stages whose owner.json names a reunify process of this host that is
// gone are touched.
const (
	stageInfix   = ".reunify-tmp-"
	stageOwner   = "owner.json"
	stageNew     = "new"
	stageOld     = "old"
	stageCommit  = "committing"
	stageRecover = "recovering"
	maxOwnerSize = 64 << 10
	// maxStageBase is the most bytes of the destination's name kept in
	// the stage's name (file names are at most 255 bytes).
	maxStageBase = 100
)

// stagePattern matches the name of a stage folder.
var stagePattern = regexp.MustCompile(`^\..*\.reunify-tmp-[0-9a-f]{16}$`)

// legacyPattern matches the temporary files and folders of reunify
// versions before stages (.<base>.tmp-<digits>, and -old for a folder
// moved aside). They carry no owner, so they are only ever named.
var legacyPattern = regexp.MustCompile(`^\..+\.tmp-[0-9]+(-old)?$`)

// owner is the content of a stage's owner.json.
type owner struct {
	Program string    `json:"program"`
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Boot    string    `json:"boot,omitempty"`        // the kernel's boot id, where known
	Ticks   uint64    `json:"start_ticks,omitempty"` // the process's start time, where known
	NS      string    `json:"pid_ns,omitempty"`      // its pid namespace (a container), where known
	Started time.Time `json:"started"`
	Dest    string    `json:"dest"`   // absolute path of the destination
	Folder  bool      `json:"folder"` // the destination is a folder
	Commit  string    `json:"commit"` // id shared by the stages committed together
	Stages  []string  `json:"stages"` // absolute paths of every stage of the commit
}

// stage is one destination being written.
type stage struct {
	dest    string // absolute, cleaned
	root    string // the stage folder
	folder  bool
	force   bool
	owned   func(path string) error // for an existing destination with force
	hadOld  bool                    // set during the commit
	created []string                // parent folders made for it, outermost first
}

func (s *stage) newPath() string { return filepath.Join(s.root, stageNew) }
func (s *stage) oldPath() string { return filepath.Join(s.root, stageOld) }

// self describes this process for owner.json, once.
var self = sync.OnceValue(func() owner {
	host, _ := os.Hostname()
	boot, ticks, ns := processIdentity(os.Getpid())
	return owner{Program: "reunify", PID: os.Getpid(), Host: host, Boot: boot, Ticks: ticks, NS: ns, Started: time.Now().UTC().Truncate(time.Second)}
})

// stageName is the name of a new stage for a destination named base.
func stageName(base string) (string, error) {
	if len(base) > maxStageBase {
		base = base[:maxStageBase]
		for !utf8.ValidString(base) {
			base = base[:len(base)-1]
		}
	}
	var b [8]byte
	if _, err := io.ReadFull(rand.Reader, b[:]); err != nil {
		return "", err
	}
	return "." + base + stageInfix + hex.EncodeToString(b[:]), nil
}

// writeOwner writes the owner.json of s, listing every stage of the
// commit.
func writeOwner(s *stage, commit string, stages []string) error {
	o := self()
	o.Dest, o.Folder, o.Commit, o.Stages = s.dest, s.folder, commit, stages
	b, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return Create(filepath.Join(s.root, stageOwner), func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// readOwner reads the owner.json of the stage folder root, or fails if
// root is not provably a stage reunify made.
func readOwner(root string) (*owner, error) {
	fi, err := os.Lstat(root)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() || !stagePattern.MatchString(filepath.Base(root)) {
		return nil, fmt.Errorf("%s is not a stage folder", root)
	}
	b, err := ReadSmall(filepath.Join(root, stageOwner), maxOwnerSize)
	if err != nil {
		return nil, err
	}
	var o owner
	if err := json.Unmarshal(b, &o); err != nil {
		return nil, err
	}
	if o.Program != "reunify" || o.PID <= 0 || o.Commit == "" || !filepath.IsAbs(o.Dest) ||
		filepath.Dir(o.Dest) != filepath.Dir(root) {
		return nil, fmt.Errorf("%s: not an owner reunify wrote", filepath.Join(root, stageOwner))
	}
	return &o, nil
}

// gone reports whether the process that made o has ended: it ran on this
// host, and it no longer runs (or its process id now belongs to a later
// process, or the machine has restarted since).
func (o *owner) gone() bool {
	me := self()
	if o.Host != me.Host {
		return false // another machine's: it may still be running
	}
	if o.Boot != "" && me.Boot != "" && o.Boot != me.Boot {
		return true // the machine has restarted since
	}
	if o.NS != me.NS {
		return false // another container's process ids: it may still be running
	}
	if o.PID == me.PID && o.Ticks == me.Ticks {
		return false
	}
	return !processRuns(o.PID, o.Ticks)
}

// recoverStale finds the stages that dead reunify processes left in dir,
// finishes or undoes their commits, and removes them. It returns a note
// for each stage removed and for each temporary file of an older version
// that it found but cannot prove dead. It never touches a stage of a
// process that may still run.
func recoverStale(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var notes []string
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(dir, name)
		switch {
		case stagePattern.MatchString(name):
			o, err := readOwner(p)
			if err != nil || !o.gone() {
				continue
			}
			if note := recoverCommit(o); note != "" {
				notes = append(notes, note)
			}
		case legacyPattern.MatchString(name):
			notes = append(notes, fmt.Sprintf("%s looks like a temporary file of an older reunify that was stopped; remove it if no reunify is running there", p))
		}
	}
	return notes
}

// recoverCommit finishes or undoes the commit of a dead process and
// removes its stages; it returns what it did.
func recoverCommit(o *owner) string {
	// Every stage of the commit that is still there, provably of this
	// commit.
	type st struct {
		root string
		o    *owner
	}
	var stages []st
	for _, r := range o.Stages {
		so, err := readOwner(r)
		if err == nil && so.Commit == o.Commit {
			stages = append(stages, st{r, so})
		}
	}
	if len(stages) == 0 {
		return ""
	}
	// One recoverer at a time; a recoverer that died is replaced.
	lock := filepath.Join(stages[0].root, stageRecover)
	me, _ := json.Marshal(self())
	f, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		var other owner
		b, rerr := ReadSmall(lock, maxOwnerSize)
		if rerr != nil || json.Unmarshal(b, &other) != nil || other.PID <= 0 || !other.gone() {
			return ""
		}
		os.Remove(lock)
		f, err = os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	}
	if err != nil {
		return ""
	}
	f.Write(me)
	f.Close()
	defer trackRecovery(lock)()
	committing, pending := false, false
	for _, s := range stages {
		committing = committing || exists(filepath.Join(s.root, stageCommit))
		pending = pending || exists(filepath.Join(s.root, stageNew))
	}
	what := "removed"
	if committing && pending {
		// Killed part way through its renames: put every earlier
		// result back as it was.
		what = "undid the unfinished commit and removed"
		// Only a result still as the commit put it is taken out: one
		// changed since (a file of the user's added) stops the undo
		// before anything moves.
		for _, s := range stages {
			if !exists(filepath.Join(s.root, stageNew)) && exists(s.o.Dest) && !unchangedSince(s.o.Dest, filepath.Join(s.root, stageCommit)) {
				return fmt.Sprintf("could not undo the unfinished commit of an interrupted run (process %d): %s changed after it was put in place, so it and the temporary files are left as they are (the result it replaced is in %s): move what you need by hand", o.PID, s.o.Dest, s.root)
			}
		}
		for i := len(stages) - 1; i >= 0; i-- {
			s := stages[i]
			newp, oldp := filepath.Join(s.root, stageNew), filepath.Join(s.root, stageOld)
			if !exists(newp) && exists(s.o.Dest) {
				if os.Rename(s.o.Dest, newp) != nil {
					return fmt.Sprintf("could not undo the unfinished commit of an interrupted run (process %d): %s holds its stage; move it away by hand", o.PID, s.root)
				}
			}
			if exists(oldp) && !exists(s.o.Dest) {
				if os.Rename(oldp, s.o.Dest) != nil {
					return fmt.Sprintf("could not put back the earlier %s (an interrupted run, process %d, moved it to %s); move it back by hand", s.o.Dest, o.PID, oldp)
				}
			}
		}
	} else if committing {
		what = "finished the commit and removed"
	} else {
		// Not committing: nothing was moved aside, unless a crash lost the
		// marker but kept a rename. An earlier result found aside goes
		// back; one that cannot is kept, and named.
		for _, s := range stages {
			oldp := filepath.Join(s.root, stageOld)
			if !exists(oldp) {
				continue
			}
			if exists(s.o.Dest) || os.Rename(oldp, s.o.Dest) != nil {
				return fmt.Sprintf("an interrupted run (process %d) left the earlier %s at %s; move it back by hand", o.PID, s.o.Dest, oldp)
			}
		}
	}
	var removed, left []string
	for _, s := range stages {
		if err := removeStage(s.root); err != nil {
			left = append(left, fmt.Sprintf("%s (%v)", s.root, err))
		} else {
			removed = append(removed, s.root)
		}
	}
	if len(left) > 0 {
		os.Remove(lock) // the next run may try again
		return fmt.Sprintf("could not remove all the temporary files of an interrupted run (process %d, started %s; %s what it could); left in place: %s",
			o.PID, o.Started.Format(time.RFC3339), what, strings.Join(left, ", "))
	}
	return fmt.Sprintf("%s the temporary files of an interrupted run (process %d, started %s): %s",
		what, o.PID, o.Started.Format(time.RFC3339), strings.Join(removed, ", "))
}

// IsStage reports whether path is a stage folder that reunify made (its
// name and its owner.json say so), whether or not its process still
// runs: a check of what a folder holds (resultdir.Owned) passes over
// it, as a file of reunify's own.
func IsStage(path string) bool {
	_, err := readOwner(path)
	return err == nil
}
