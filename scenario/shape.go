package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Limits on the shape of a scenario file, checked before it is decoded: a
// hand-written scenario is a few kilobytes with arrays nested two or three
// deep, and a file far outside these limits (a data file passed by
// mistake, a corrupted attachment) would otherwise take the TOML decoder
// minutes.
const (
	MaxFileBytes = 4 << 20 // bytes in a scenario file
	MaxNesting   = 32      // arrays and inline tables inside one another
)

// checkShape reports a file too large or nested too deep to be a
// scenario. It scans once, skipping strings and comments.
func checkShape(name string, data []byte) *Problem {
	if len(data) > MaxFileBytes {
		return &Problem{File: name, Msg: fmt.Sprintf("the file is %d bytes; a scenario is at most %d (a few kilobytes is usual): is this the right file?",
			len(data), MaxFileBytes)}
	}
	line, lineStart, depth := 1, 0, 0
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '\n':
			line, lineStart = line+1, i+1
		case '#':
			for i+1 < len(data) && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			// A string: basic or literal, single- or multi-line.
			multi := i+2 < len(data) && data[i+1] == c && data[i+2] == c
			if multi {
				i += 2
			}
			for i++; i < len(data); i++ {
				d := data[i]
				if d == '\\' && c == '"' {
					i++
					if i < len(data) && data[i] == '\n' {
						line, lineStart = line+1, i+1
					}
					continue
				}
				if d == '\n' {
					if !multi {
						break // an unterminated string: the decoder reports it
					}
					line, lineStart = line+1, i+1
				}
				if d == c && (!multi || i+2 < len(data) && data[i+1] == c && data[i+2] == c) {
					if multi {
						i += 2
					}
					break
				}
			}
			if i < len(data) && data[i] == '\n' {
				line, lineStart = line+1, i+1
			}
		case '[', '{':
			if depth++; depth > MaxNesting {
				return &Problem{File: name, Line: line, Col: i - lineStart + 1,
					Msg: fmt.Sprintf("arrays or inline tables nested more than %d deep; a scenario needs at most 3: look for brackets that are not closed", MaxNesting)}
			}
		case ']', '}':
			if depth > 0 {
				depth--
			}
		}
	}
	return nil
}

// ReadFile reads a scenario file for Load, refusing what cannot be a
// scenario (a folder, a file over MaxFileBytes, an endless device)
// without reading it all. Errors are Problems that say what to do.
func ReadFile(path string) ([]byte, error) {
	bad := func(format string, a ...any) error {
		return Problems{{File: path, Msg: fmt.Sprintf(format, a...)}}
	}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, bad("no such file: check the path (\"reunify init %s\" writes a starter scenario)", path)
	case errors.Is(err, fs.ErrPermission):
		return nil, bad("permission denied: check the file's permissions, or copy it somewhere you can read")
	case err != nil:
		return nil, bad("cannot open the file: %v", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, bad("is a folder: give the scenario file inside it (a .toml file)")
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, bad("cannot read the file: %v", err)
	}
	return data, nil
}
