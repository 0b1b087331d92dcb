package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ReadSmall reads a regular file of at most limit bytes, refusing
// anything else (a folder, a device, a pipe, a symbolic link, a larger
// file) without reading it.
func ReadSmall(path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes: is this the right file?", path, limit)
	}
	return b, nil
}

// errNotRegular is returned for a path that is not a regular file.
var errNotRegular = errors.New("not a regular file")

// OpenRegular opens path for reading if it is a regular file and not a
// symbolic link: never a device (/dev/zero is endless), a pipe (opening
// it would wait for a writer) or a folder.
func OpenRegular(path string) (*os.File, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		kind := "not a regular file"
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			kind = "a symbolic link"
		case fi.IsDir():
			kind = "a folder"
		case fi.Mode()&fs.ModeDevice != 0:
			kind = "a device"
		case fi.Mode()&fs.ModeNamedPipe != 0:
			kind = "a pipe"
		}
		return nil, fmt.Errorf("%s is %s, not a file reunify wrote: %w", path, kind, errNotRegular)
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, fmt.Errorf("%s changed while being opened", path)
	}
	return f, nil
}

// OpenInput opens an input the user named (a data file, a pipe from
// another program) for reading without waiting at the open: a named pipe
// nobody writes to reads as empty instead of hanging the command (the
// reader's own limits bound an endless one). A folder is refused.
func OpenInput(path string) (*os.File, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a folder: give the file itself: %w", path, errNotRegular)
	}
	return f, nil
}
