package safefile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
)

// FileOptions are the rules WriteFile follows for one file.
type FileOptions struct {
	// Force lets WriteFile replace an existing file that Owned accepts.
	Force bool
	// Owned reports whether an existing file is one reunify wrote (nil:
	// none is): see OwnedSealed.
	Owned func(path string) error
	// Inputs are the files and folders the command reads: never
	// written over, whatever Force says.
	Inputs []string
}

// WriteFile writes one file through a Plan of its own, by the rule for
// everything reunify writes: path must not exist or, with opt.Force, be
// a regular file that opt.Owned accepts; it is never an input, a folder
// or a symbolic link. The file is built in a stage beside path, synced,
// and renamed into place only when complete. A refusal wraps ErrRefused
// (bad input: exit status 2).
func WriteFile(path string, opt FileOptions, write func(io.Writer) error) error {
	p, err := NewPlan(opt.Force, opt.Inputs...)
	if err != nil {
		return err
	}
	staged, err := p.File(path, opt.Owned)
	if err != nil {
		return err
	}
	if err := Create(staged, write); err != nil {
		p.Abort()
		return err
	}
	return p.Commit(nil)
}

// Create creates (or truncates) the file path, writes it with write
// through a buffer (large: an event log runs to gigabytes), and syncs it
// to disk. It is not atomic by itself:
// call it on a path inside a Plan's stage (what Folder or File
// returned), which lands whole or not at all. Its errors are those of
// the file system, which name the path.
func Create(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir syncs a folder, so that the names in it survive a crash. Windows
// cannot sync folders; there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("safefile: %w", err)
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("safefile: syncing %s: %w", dir, err)
	}
	return nil
}
