package safefile

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// A Plan is every file and folder one command writes, committed
// together: all of them land, or none does. It enforces the one rule
// for everything reunify writes:
//
//   - it writes a new folder, or into a folder reunify wrote (one that
//     holds its manifest), or a file that does not exist yet;
//   - with force it replaces only a folder or file that reunify wrote
//     (see Owned), never one holding the command's inputs, the working
//     folder or a folder above it, and never a symbolic link;
//   - nothing is written in place: each destination is built in a stage
//     beside it (see stage), created before any work so that an
//     unwritable destination is found at once, and renamed into place
//     by Commit; an earlier result is moved aside and removed only once
//     every destination of the plan is in place, and put back if any
//     rename fails.
//
// Make a Plan with NewPlan, reserve its destinations with Folder and
// File before the work, write into the paths they return, then Commit
// (or Abort, which Commit's failure does too).
type Plan struct {
	force   bool
	noFlag  bool            // no --force flag to advise (NewRewrite, NewKeep)
	scanned map[string]bool // folders searched for stale stages
	inputs  []string        // absolute, with symbolic links resolved
	cwd     string          // likewise
	commit  string
	stages  []*stage
	notes   []string
	done    bool
	untrack func()
}

// Hooks for tests to inject failures and stops; the defaults are the
// real thing.
var (
	rename = os.Rename
	// phase is called at each step of a commit (a test build pauses or
	// stops there: see TestPhase).
	phase = func(name string) {}
)

// Phase marks a step of a command (loaded, planned, simulated, written,
// committed), as the plan marks each step of its commit: a test build
// (-tags reunifytest) pauses there when asked (TestPhase), so that tests
// can signal or kill a process at every step; otherwise it does nothing.
func Phase(name string) { phase(name) }

// ErrRefused wraps every refusal of a destination by a Plan: bad input
// or usage, not a failure of the program.
var ErrRefused = errors.New("refused")

// refusal is a destination a Plan will not write.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }
func (r *refusal) Unwrap() error { return ErrRefused }

// BadInput reports that the destination, the user's choice, is at
// fault: exit status 2.
func (r *refusal) BadInput() bool { return true }

func refuse(format string, a ...any) error { return &refusal{fmt.Sprintf(format, a...)} }

// NewPlan starts a plan. force lets Folder and File replace what
// reunify wrote earlier; inputs are the files and folders the command
// reads (scenarios, shard folders, data files), which are never
// replaced, nor any folder holding one.
func NewPlan(force bool, inputs ...string) (*Plan, error) {
	id, err := stageName("")
	if err != nil {
		return nil, err
	}
	p := &Plan{force: force, commit: strings.TrimPrefix(id, "."+stageInfix), scanned: map[string]bool{}}
	if wd, err := os.Getwd(); err == nil {
		p.cwd = resolve(wd)
	}
	for _, in := range inputs {
		if in != "" {
			p.inputs = append(p.inputs, resolve(in))
		}
	}
	return p, nil
}

// NewRewrite starts a plan that replaces what reunify wrote, as
// NewPlan(true) does, for a command that has no --force flag and always
// replaces its own earlier output (report): its refusals say so
// without naming a flag.
func NewRewrite(inputs ...string) (*Plan, error) {
	p, err := NewPlan(true, inputs...)
	if err == nil {
		p.noFlag = true
	}
	return p, err
}

// NewKeep starts a plan that never replaces anything, as NewPlan(false)
// does, for a command that has no --force flag (appraise): its
// refusals say so without advising one.
func NewKeep(inputs ...string) (*Plan, error) {
	p, err := NewPlan(false, inputs...)
	if err == nil {
		p.noFlag = true
	}
	return p, err
}

// Notes returns what the plan found and did beside its destinations:
// temporary files of interrupted runs removed, or named where they could
// not be proven dead. Print them for the user.
func (p *Plan) Notes() []string { return p.notes }

// PrintNotes prints the Notes to w, one a line, as reunify's messages.
func (p *Plan) PrintNotes(w io.Writer) {
	for _, n := range p.notes {
		fmt.Fprintln(w, "reunify:", n)
	}
}

// resolve returns path made absolute with every symbolic link that
// exists resolved; a part that does not exist is kept as written.
func resolve(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	var rest []string
	for dir := abs; ; {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(append([]string{r}, rest...)...)
		}
		up := filepath.Dir(dir)
		if up == dir {
			return abs
		}
		rest = append([]string{filepath.Base(dir)}, rest...)
		dir = up
	}
}

// sameAsInput reports whether the existing dest is, by file identity
// (os.SameFile, not by name), one of the plan's inputs or, for a
// folder, one holding an input.
func (p *Plan) sameAsInput(dest string, folder bool) bool {
	dfi, err := os.Stat(dest)
	if err != nil {
		return false
	}
	for _, in := range p.inputs {
		if fi, err := os.Stat(in); err == nil && os.SameFile(fi, dfi) {
			return true
		}
		if folder && holds(dest, in) {
			return true
		}
	}
	return false
}

// holds reports whether the existing folder dir is, by file identity,
// path itself or a folder above it.
func holds(dir, path string) bool {
	dfi, err := os.Stat(dir)
	if err != nil || !dfi.IsDir() {
		return false
	}
	for d := path; ; {
		if fi, err := os.Stat(d); err == nil && os.SameFile(fi, dfi) {
			return true
		}
		up := filepath.Dir(d)
		if up == d {
			return false
		}
		d = up
	}
}

// within reports whether path is dir or inside it (both resolved).
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Folder reserves the folder dir and returns the path to write its
// files into (a new, empty folder in its stage). dir must not exist, be
// an empty folder, or (with force) be a folder that owned accepts: one
// reunify wrote (resultdir.Owned for a result folder; nil accepts
// none).
func (p *Plan) Folder(dir string, owned func(path string) error) (string, error) {
	return p.add(dir, true, owned)
}

// File reserves the file path and returns the path to write it to (in
// its stage). path must not exist or, with force, be a file that owned
// accepts (nil accepts none).
func (p *Plan) File(path string, owned func(path string) error) (string, error) {
	return p.add(path, false, owned)
}

func (p *Plan) add(dest string, folder bool, owned func(string) error) (string, error) {
	if p.done {
		return "", errors.New("safefile: the plan is already committed or abandoned")
	}
	if dest == "" {
		return "", refuse("no path given")
	}
	if abandoned() {
		return "", ErrAbandoned
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	s := &stage{dest: abs, folder: folder, force: p.force, owned: owned}
	if err := p.check(dest, s); err != nil {
		return "", err
	}
	for _, o := range p.stages {
		if within(s.dest, o.dest) || within(o.dest, s.dest) {
			return "", refuse("%s is written twice by this command (or one inside the other)", dest)
		}
	}
	parent := filepath.Dir(abs)
	created, err := mkdirs(parent)
	if err != nil {
		return "", refuse("cannot create %s: %v%s", filepath.Dir(dest), plainErr(err), Hint(err, ""))
	}
	s.created = created
	if !p.scanned[parent] { // once a folder: each note is printed once
		p.notes = append(p.notes, recoverStale(parent)...)
		p.scanned[parent] = true
	}
	name, err := stageName(filepath.Base(abs))
	if err != nil {
		removeCreated(created)
		return "", err
	}
	s.root = filepath.Join(parent, name)
	if err := os.Mkdir(s.root, 0o755); err != nil {
		removeCreated(created)
		return "", refuse("cannot write in %s: %v%s", parent, plainErr(err), Hint(err, ""))
	}
	untrack := trackTemp(s.root, created)
	p.stages = append(p.stages, s)
	prev := p.untrack
	p.untrack = func() {
		untrack()
		if prev != nil {
			prev()
		}
	}
	// Every stage lists them all (for recovery), so rewrite each owner.
	var roots []string
	for _, o := range p.stages {
		roots = append(roots, o.root)
	}
	for _, o := range p.stages {
		if err := writeOwner(o, p.commit, roots); err != nil {
			p.Abort()
			return "", refuse("cannot write in %s: %v%s", filepath.Dir(o.dest), plainErr(err), Hint(err, ""))
		}
	}
	if folder {
		if err := os.Mkdir(s.newPath(), 0o755); err != nil {
			p.Abort()
			return "", err
		}
	}
	return s.newPath(), nil
}

// check applies the rules to a destination before any work.
func (p *Plan) check(dest string, s *stage) error {
	real := resolve(s.dest)
	if p.cwd != "" && within(p.cwd, real) {
		return refuse("%s is the working folder or holds it; choose a new folder for the results", dest)
	}
	for _, in := range p.inputs {
		if in == real || within(in, real) && s.folder {
			return refuse("%s is an input of this command (or holds one): reunify never writes over its inputs; choose another path", dest)
		}
	}
	for _, in := range p.inputs {
		if fi, err := os.Stat(in); err == nil && fi.IsDir() && (within(real, in) || holds(in, filepath.Dir(s.dest))) {
			return refuse("%s is inside %s, an input of this command: reunify never writes into its inputs; choose a path outside it", dest, in)
		}
	}
	if p.sameAsInput(s.dest, s.folder) {
		return refuse("%s is an input of this command (or holds one) under another name (a hard link, a bind mount or a name in other case): reunify never writes over its inputs; choose another path", dest)
	}
	if p.cwd != "" && s.folder && holds(s.dest, p.cwd) {
		return refuse("%s is the working folder or holds it (under another name); choose a new folder for the results", dest)
	}
	fi, err := os.Lstat(s.dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case errors.Is(err, syscall.ENOTDIR):
		return refuse("%s: a part of the path is a file, not a folder", dest)
	case err != nil:
		return refuse("%s: %v%s", dest, plainErr(err), Hint(err, ""))
	case fi.Mode()&fs.ModeSymlink != 0:
		return refuse("%s is a symbolic link; reunify does not write through or over links: give the path it points to, or another name", dest)
	case s.folder && !fi.IsDir():
		return refuse("%s is a file; choose a folder to create (or an empty one) for the results", dest)
	case !s.folder && fi.IsDir():
		return refuse("%s is a folder; give a file name", dest)
	case mountPoint(s.dest, fi):
		return refuse("%s is a mount point, which cannot be replaced; write into a new folder inside it", dest)
	case s.folder && isEmptyDir(s.dest):
		return nil
	case !p.force && p.noFlag:
		if s.folder {
			return refuse("%s exists and is not empty; choose another folder (this command never replaces one)", dest)
		}
		return refuse("%s exists; choose another name (this command never replaces a file)", dest)
	case !p.force:
		if s.folder {
			return refuse("%s exists and is not empty; choose another folder, or add --force to replace it", dest)
		}
		return refuse("%s exists; choose another name, or add --force to replace it", dest)
	}
	if s.owned == nil {
		return refuse("%s exists, and this command never replaces it; choose another name", dest)
	}
	if err := s.owned(s.dest); err != nil {
		if p.noFlag {
			return refuse("%s: reunify replaces only what it wrote and nobody changed since, and %v; move that away yourself, then try again", dest, err)
		}
		return refuse("%s: --force replaces only what reunify wrote and nobody changed since, and %v; move that away yourself, or choose another name", dest, err)
	}
	return nil
}

// recheck applies the rules again just before the commit: the
// destination may have changed while the work ran.
func (s *stage) recheck() error {
	fi, err := os.Lstat(s.dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.hadOld = false
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0 || s.folder != fi.IsDir():
		return refuse("%s changed while reunify worked; nothing was replaced", s.dest)
	case s.folder && isEmptyDir(s.dest):
	case !s.force:
		return refuse("%s appeared while reunify worked; nothing was replaced", s.dest)
	case s.owned == nil:
		return refuse("%s appeared while reunify worked; nothing was replaced", s.dest)
	default:
		if err := s.owned(s.dest); err != nil {
			return refuse("%s changed while reunify worked and is no longer one reunify wrote (%v); nothing was replaced", s.dest, err)
		}
	}
	s.hadOld = true
	return nil
}

// Commit puts every destination in place, together: each earlier result
// is moved aside into its stage, the new one renamed in, and, once all
// are in, the earlier ones are removed. If any rename fails the earlier
// results are put back and the new ones discarded. A cancelled ctx (an
// interrupt before the commit) abandons the plan instead.
func (p *Plan) Commit(ctx context.Context) (err error) {
	if p.done {
		return errors.New("safefile: the plan is already committed or abandoned")
	}
	defer func() {
		if err != nil {
			p.Abort()
		}
	}()
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	if abandoned() {
		return ErrAbandoned
	}
	for _, s := range p.stages {
		if err := syncTree(s.newPath()); err != nil {
			return err
		}
		if err := syncDir(s.root); err != nil {
			return err
		}
	}
	err = critical(func() error {
		for _, s := range p.stages {
			if err := s.recheck(); err != nil {
				return err
			}
		}
		for _, s := range p.stages {
			// Durable before any rename: recovery after a crash relies on it.
			fp, err := fingerprint(s.newPath())
			if err != nil {
				return err
			}
			if err := Create(filepath.Join(s.root, stageCommit), func(w io.Writer) error { _, err := io.WriteString(w, fp); return err }); err != nil {
				return err
			}
			if err := syncDir(s.root); err != nil {
				return err
			}
		}
		for i, s := range p.stages {
			if err := s.put(); err != nil {
				for j := i - 1; j >= 0; j-- {
					p.stages[j].undo()
				}
				return err
			}
			phase("commit-" + filepath.Base(s.dest))
		}
		for _, s := range p.stages {
			if err := syncDir(filepath.Dir(s.dest)); err != nil {
				return err
			}
		}
		p.done = true
		return nil
	})
	if err != nil {
		return err
	}
	// In place: the stages now hold only the earlier results. They are
	// removed under the lock, so that a quit (RemoveTemporary) neither
	// removes them at the same time nor cuts the removal short but by
	// ending the process, which leaves each stage recoverable.
	var errs []error
	temps.Lock()
	for _, s := range p.stages {
		if temps.abandoned {
			break // RemoveTemporary removed them
		}
		// What was moved aside is checked again before it goes: a file
		// added in the moment between the last check and the move is
		// kept, with everything beside it.
		if s.hadOld && s.folder && s.owned != nil && !isEmptyDir(s.oldPath()) {
			if oerr := s.owned(s.oldPath()); oerr != nil {
				// No reunify may remove it now: without its owner.json it
				// is no stage of reunify's.
				os.Remove(filepath.Join(s.root, stageOwner))
				errs = append(errs, &CleanupError{Dest: s.dest, Left: s.oldPath(), Err: fmt.Errorf("it changed while reunify replaced it, so it is kept: %w", oerr)})
				continue
			}
		}
		if rerr := s.remove(); rerr != nil {
			errs = append(errs, &CleanupError{Dest: s.dest, Left: s.root, Err: rerr})
		}
	}
	temps.Unlock()
	p.untrack()
	return errors.Join(errs...)
}

// A CleanupError is a commit that put everything new in place but could
// not remove all of what it replaced: the new results are complete at
// Dest, and what is left of the earlier ones is at Left: a stage, which
// the next reunify writing there tries again to remove, or, when what
// was replaced changed while it was replaced (a file added in that
// moment), the earlier folder itself, kept, which no reunify removes. It
// is not bad input: exit status 1.
type CleanupError struct {
	Dest, Left string
	Err        error
}

func (e *CleanupError) Error() string {
	return fmt.Sprintf("the new results are complete and in place in %s, but what they replaced could not all be removed (%v); what is left of it is in %s: take what you need from it, then remove it", e.Dest, e.Err, e.Left)
}

func (e *CleanupError) Unwrap() error { return e.Err }

// put moves an earlier destination aside and renames the new one in.
func (s *stage) put() error {
	if s.hadOld {
		if err := rename(s.dest, s.oldPath()); err != nil {
			return fmt.Errorf("moving the earlier %s aside: %w", s.dest, err)
		}
		phase("aside-" + filepath.Base(s.dest))
	}
	if err := renameInto(s.newPath(), s.dest); err != nil {
		if s.hadOld {
			if rerr := rename(s.oldPath(), s.dest); rerr != nil {
				return fmt.Errorf("%w; and putting the earlier one back failed (it is at %s): %v", err, s.oldPath(), rerr)
			}
		}
		return err
	}
	return nil
}

// undo takes a destination that put renamed in back out, and puts the
// earlier one back.
func (s *stage) undo() {
	if rename(s.dest, s.newPath()) == nil && s.hadOld {
		rename(s.oldPath(), s.dest)
	}
}

// renameInto is renameIn; a variable for tests.
var renameInto = renameIn

// renameIn renames from to to, never over an existing file or non-empty
// folder (the destination was moved aside or did not exist).
func renameIn(from, to string) error {
	if ok, err := renameNoReplace(from, to); ok {
		if err != nil && errors.Is(err, fs.ErrExist) && isEmptyDir(to) {
			return rename(from, to) // an empty folder, as checked
		}
		return err
	}
	if fi, err := os.Lstat(to); err == nil && !(fi.IsDir() && isEmptyDir(to)) {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: fs.ErrExist}
	}
	return rename(from, to)
}

// Abort abandons the plan: every stage and every folder made for it is
// removed; nothing else is touched. It may be called more than once and
// after Commit (when it does nothing).
func (p *Plan) Abort() {
	if p.done {
		return
	}
	p.done = true
	for i := len(p.stages) - 1; i >= 0; i-- {
		s := p.stages[i]
		s.remove()
		removeCreated(s.created)
	}
	if p.untrack != nil {
		p.untrack()
	}
}
