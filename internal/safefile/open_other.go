//go:build !unix

package safefile

import "os"

// openNonBlocking opens path for reading.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

// deviceOf cannot tell here.
func deviceOf(fi os.FileInfo) (uint64, bool) { return 0, false }
