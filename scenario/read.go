package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ReadFile reads a scenario file for Load. It never waits: it opens
// without waiting for a writer and refuses, by what it is, anything but
// a regular file or a device that has bytes at once (a named pipe, a
// socket, a disk, a terminal; a folder). What it reads is bounded: a
// file over MaxFileBytes (or an endless device such as /dev/zero) is
// read no further than MaxFileBytes+1 bytes, for LoadBytes to refuse.
// Errors are Problems that say what to do.
func ReadFile(path string) ([]byte, error) {
	bad := func(format string, a ...any) error {
		return Problems{{File: path, Msg: fmt.Sprintf(format, a...)}}
	}
	f, err := openNoWait(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, bad("no such file: check the path (\"reunify init %s\" writes a starter scenario)", path)
	case errors.Is(err, fs.ErrPermission):
		return nil, bad("permission denied: check the file's permissions, or copy it somewhere you can read")
	case err != nil:
		// Some kinds cannot even be opened (a socket).
		if what := notAFile(path); what != "" {
			return nil, bad("%s", what)
		}
		return nil, bad("cannot open the file: %v", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, bad("cannot read the file: %v", err)
	}
	var data []byte
	switch m := fi.Mode(); {
	case m.IsRegular():
		data, err = io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	case m.IsDir():
		return nil, bad("is a folder: give the scenario file inside it (a .toml file)")
	case m&fs.ModeCharDevice != 0:
		// A device: read what it has at once (/dev/null, /dev/zero), or
		// refuse it (a terminal, which would wait for typing).
		data, err = readNow(f, MaxFileBytes+1)
		if errors.Is(err, errWouldWait) {
			return nil, bad("is a device with nothing to read (a terminal?), not a scenario file: give the scenario's .toml file")
		}
	default:
		return nil, bad("%s", kindOf(m))
	}
	if err != nil {
		return nil, bad("cannot read the file: %v", err)
	}
	return data, nil
}

// errWouldWait says a device has nothing to read now.
var errWouldWait = errors.New("nothing to read without waiting")

// kindOf says what a file that is not a scenario file is, and what to do.
func kindOf(m fs.FileMode) string {
	what := "is not a regular file"
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "is a named pipe, not a scenario file: reunify reads a scenario only from a regular file (a pipe would keep it waiting for a writer); save the scenario to a file and give that"
	case m&fs.ModeSocket != 0:
		what = "is a socket"
	case m&fs.ModeDevice != 0:
		what = "is a device"
	}
	return what + ", not a scenario file: give the scenario's .toml file"
}

// notAFile says what path is if it exists and is not a regular file or
// a folder, and "" otherwise.
func notAFile(path string) string {
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().IsRegular() || fi.IsDir() {
		return ""
	}
	return kindOf(fi.Mode())
}
