package validation

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/scenarios"
)

// Folder is a folder of edited copies of the shipped scenarios, every
// one of Files read before the run (ReadFolder), for Run. Run names its
// files in messages by their path in Dir.
type Folder struct {
	Dir   string
	files map[string][]byte
}

// ReadFolder reads every file Run needs from dir with the scenario
// reader (bounded), after checking that each is a regular file: opening
// a named pipe blocks until something writes to it, and a device such as
// /dev/zero never ends. Its errors are scenario.Problems.
func ReadFolder(dir string) (*Folder, error) {
	f := &Folder{Dir: dir, files: map[string][]byte{}}
	for _, name := range Files {
		p := filepath.Join(dir, name)
		need := fmt.Sprintf("--scenarios needs a folder holding edited copies of the shipped scenarios (%s)", strings.Join(Files, ", "))
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, scenario.Problems{{File: p, Msg: "no such file: " + need}}
		case err == nil && !fi.Mode().IsRegular():
			return nil, scenario.Problems{{File: p, Msg: fmt.Sprintf("not a regular file (%s): %s", fileKind(fi.Mode()), need)}}
		}
		b, err := scenario.ReadFile(p)
		if err != nil {
			return nil, err
		}
		f.files[name] = b
	}
	return f, nil
}

// Paths are the files of the folder that Run reads: the inputs of a
// command, which it never writes over.
func (f *Folder) Paths() []string {
	var ps []string
	for _, name := range Files {
		ps = append(ps, filepath.Join(f.Dir, name))
	}
	return ps
}

// ReadFile returns a file ReadFolder read (fs.ReadFileFS).
func (f *Folder) ReadFile(name string) ([]byte, error) {
	if b, ok := f.files[name]; ok {
		return b, nil
	}
	return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
}

// Open is not used: Run reads whole files (ReadFile).
func (f *Folder) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// fileKind names what a file that is not a regular file is.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a file"
}

// Scenarios returns the scenarios Run validates: the shipped ones
// (scenarios.FS) if dir is "", else the edited copies in dir
// (ReadFolder), with their paths, which a command must never write over.
func Scenarios(dir string) (fs.FS, []string, error) {
	if dir == "" {
		return scenarios.FS, nil, nil
	}
	f, err := ReadFolder(dir)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Paths(), nil
}
