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
