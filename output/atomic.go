package output

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes one file the way Write writes a folder: to a
// temporary file beside path, synced, then renamed over path. A failure at
// any point (a full disk, an interrupted run) removes the temporary file
// and leaves any earlier file at path untouched.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("output: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer trackTemp(tmp)() // for RemoveTemporary
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o644); err != nil { // CreateTemp makes it 0600
		return fmt.Errorf("output: %w", err)
	}
	if err := writeFile(tmp, write); err != nil {
		return err
	}
	return critical(func() error {
		if err := rename(tmp, path); err != nil {
			return fmt.Errorf("output: %w", err)
		}
		return syncDir(dir)
	})
}

// FormatNumber formats a number as every CSV file of a result folder does:
// plain decimal, never exponent notation, NA for NaN.
func FormatNumber(v float64) string { return num(v) }

// TempFolder makes a temporary folder beside dir for a caller that writes
// its own files into it (reunify synth, say), registered so that
// RemoveTemporary removes it on a second interrupt. Call done when
// finished: it removes the folder if it was not put in place.
func TempFolder(dir string) (tmp string, done func(), err error) {
	dir = filepath.Clean(dir)
	tmp, err = os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".tmp-*")
	if err != nil {
		return "", nil, fmt.Errorf("output: %w", err)
	}
	untrack := trackTemp(tmp)
	return tmp, func() {
		untrack()
		os.RemoveAll(tmp)
	}, nil
}

// ReplaceFolder puts the complete folder tmp in place at dir as Write
// does: an existing dir (refused if non-empty, unless force) is moved
// aside and removed only once tmp is in place, and put back if tmp cannot
// be renamed in, so the user never has neither.
func ReplaceFolder(tmp, dir string, force bool) error {
	return critical(func() error { return replace(tmp, dir, force) })
}
