package resultdir

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
)

// Run is the folder a run writes, reserved in a plan and built in its
// stage: the result folder of one scenario, or the batch folder of
// several, which holds one result folder per scenario, named after it,
// and a summary.csv joining theirs (WriteBatch).
type Run struct {
	Root   string // the folder, as it will be
	Staged string // where it is being written, in the plan's stage
	names  []string
}

// ReserveRun reserves root in plan for the results of the scenarios
// named: a result folder for one, a batch folder for several, whose
// names must each be a folder of their own (check them first with
// CheckBatch).
func ReserveRun(plan *safefile.Plan, root string, names []string) (*Run, error) {
	r := &Run{Root: root}
	if len(names) > 1 {
		if err := CheckBatch(names, names); err != nil {
			return nil, err
		}
		r.names = names
	}
	var err error
	r.Staged, err = plan.Folder(root, Owned)
	return r, err
}

// Batch reports whether the run is a batch.
func (r *Run) Batch() bool { return r.names != nil }

// Folder returns where the result folder of scenario i will be, and
// where it is being written.
func (r *Run) Folder(i int) (dir, staged string) {
	if r.names == nil {
		return r.Root, r.Staged
	}
	return filepath.Join(r.Root, r.names[i]), filepath.Join(r.Staged, r.names[i])
}

// CheckBatch reports whether names, those of the scenarios in files,
// can name the scenario folders of one batch: each a name of a folder of
// its own (CheckName), and no two the same folder, even on a disk that
// ignores case ("LA" and "la"). Its error is a *FolderError naming the
// files.
func CheckBatch(names, files []string) error {
	bad := func(format string, a ...any) error { return &FolderError{fmt.Errorf(format, a...)} }
	seen := map[string]int{}
	for i, n := range names {
		if err := CheckName(n); err != nil {
			return bad("%s: a scenario of a batch is written to the folder named after it, and %v; rename the scenario (its name key)", files[i], err)
		}
		key := strings.ToLower(n)
		if j, dup := seen[key]; dup {
			if names[j] != n {
				return bad("%s and %s have the names %q and %q, which name the same folder on a disk that ignores case; each scenario of a batch needs its own name", files[j], files[i], names[j], n)
			}
			return bad("%s and %s both have the name %q; each scenario of a batch needs its own name", files[j], files[i], n)
		}
		seen[key] = i
	}
	return nil
}

// ReserveEventLog reserves the event log at path for the run: directly
// in the run's folder it is written in the run's stage and lands with
// the folder (it then needs a name of its own, not a result file's);
// elsewhere it is a file of its own in the plan, replaced with force only
// if it is an event log (OwnedEventLog). It returns where to write it.
// It refuses the run's folder itself, and a folder inside it. A path of
// "" asks for no event log, and gets "".
func ReserveEventLog(plan *safefile.Plan, path string, r *Run) (string, error) {
	if path == "" {
		return "", nil
	}
	absEv, err1 := filepath.Abs(path)
	absRoot, err2 := filepath.Abs(r.Root)
	if err := errors.Join(err1, err2); err != nil {
		return "", err
	}
	bad := func(format string, a ...any) (string, error) { return "", &FolderError{fmt.Errorf(format, a...)} }
	switch {
	case r.Batch():
		return bad("the event log is written with one scenario at a time, not a batch")
	case absEv == absRoot:
		return bad("%s is the result folder itself; give the event log a file name", path)
	case filepath.Dir(absEv) == absRoot:
		name := filepath.Base(absEv)
		if err := CheckName(name); err != nil || IsFolderFile(name) {
			return bad("%s: in the result folder the event log needs a name of its own (events.csv, say), not that of a result file", path)
		}
		return filepath.Join(r.Staged, name), nil
	case strings.HasPrefix(absEv, absRoot+string(filepath.Separator)):
		return bad("%s is in a folder inside the result folder %s; put the event log directly in it, or outside it", path, r.Root)
	}
	return plan.File(path, OwnedEventLog)
}
