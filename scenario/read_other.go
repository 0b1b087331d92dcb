//go:build !unix

package scenario

import (
	"io"
	"os"
)

// openNoWait opens path for reading.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }

// readNow reads up to limit bytes.
func readNow(f *os.File, limit int) ([]byte, error) {
	return io.ReadAll(io.LimitReader(f, int64(limit)))
}
