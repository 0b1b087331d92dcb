//go:build !unix

package safefile

import "os"

// openNonBlocking opens path for reading.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

// mountPoint cannot tell here.
func mountPoint(path string, fi os.FileInfo) bool { return false }
