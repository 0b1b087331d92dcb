package ssda903

import (
	"bytes"
	"fmt"
	"io"
)

// Limits on what Read accepts, so that a wrong file (a spreadsheet, a
// database dump, /dev/zero) is refused at once with a clear message
// instead of filling the machine's memory.
const (
	// MaxFileBytes is the largest file Read reads: 256 MiB. A year's
	// return of the largest authority is a few megabytes.
	MaxFileBytes = 256 << 20
	// MaxEpisodeRows is the most episode rows Read reads from all the
	// episode files together, and MaxChildren the most children (CHILD
	// and authority) in all the header files: 4,000,000 and 1,000,000,
	// hundreds of times a large authority's year. They bound the memory Read needs (docs/calibration.md gives it as
	// measured), and keep every count within what a scenario can hold.
	MaxEpisodeRows = 4_000_000
	MaxChildren    = 1_000_000
	// MaxLineBytes is the longest line: 64 KiB. A row of the return is
	// under 200 bytes.
	MaxLineBytes = 64 << 10
	// MaxIDLength is the longest CHILD identifier kept (the 903 allows
	// 10 characters); a longer one makes its row malformed.
	MaxIDLength = 64
	// MaxListed is how many problem rows the Report lists one by one;
	// beyond it they are only counted, by class.
	MaxListed = 100_000
)

// guard passes a file's bytes through, refusing a file that is not a
// text CSV file (a NUL byte, UTF-16), has a line longer than
// MaxLineBytes or is longer than MaxFileBytes. Its error is a *FileError
// naming the line where the problem starts.
type guard struct {
	r    io.Reader
	name string
	n    int64 // bytes passed so far
	line int   // the line of the next byte
	run  int   // bytes since the last newline
	err  error
}

// fileLimit, episodeRowLimit and childLimit are MaxFileBytes,
// MaxEpisodeRows and MaxChildren, lowered by tests.
var (
	fileLimit       int64 = MaxFileBytes
	episodeRowLimit       = MaxEpisodeRows
	childLimit            = MaxChildren
)

func newGuard(s Source) *guard { return &guard{r: s.R, name: s.Name, line: 1} }

func (g *guard) Read(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	n, err := g.r.Read(p)
	if k := g.check(p[:n]); k >= 0 {
		// Hand over the good bytes before the problem; the next Read
		// returns the error.
		if k > 0 {
			return k, nil
		}
		return 0, g.err
	}
	return n, err
}

// check scans b, keeping count of lines, and returns the offset of the
// first byte that breaks a limit (setting g.err), or -1.
func (g *guard) check(b []byte) int {
	if g.n == 0 && (bytes.HasPrefix(b, []byte{0xff, 0xfe}) || bytes.HasPrefix(b, []byte{0xfe, 0xff})) {
		g.fail(0, "the file is UTF-16 (saved as \"Unicode text\"): save it as CSV in UTF-8")
		return 0
	}
	nul := bytes.IndexByte(b, 0)
	end := len(b)
	if nul >= 0 {
		end = nul
	}
	off := 0
	for off < end {
		i := bytes.IndexByte(b[off:end], '\n')
		if i < 0 {
			if g.run+end-off > MaxLineBytes {
				return g.fail(off+MaxLineBytes-g.run, fmt.Sprintf("line %d is longer than %d KiB: an SSDA903 row is a few hundred bytes; is this a CSV file?", g.line, MaxLineBytes>>10))
			}
			g.run += end - off
			off = end
			break
		}
		if g.run+i > MaxLineBytes {
			return g.fail(off+MaxLineBytes-g.run, fmt.Sprintf("line %d is longer than %d KiB: an SSDA903 row is a few hundred bytes; is this a CSV file?", g.line, MaxLineBytes>>10))
		}
		g.line++
		g.run = 0
		off += i + 1
	}
	if g.n+int64(end) > fileLimit {
		return g.fail(int(fileLimit-g.n), fmt.Sprintf("the file is larger than %d MiB: an authority's SSDA903 file is a few megabytes; is this the right file?", fileLimit>>20))
	}
	g.n += int64(end)
	if nul >= 0 {
		return g.fail(nul, "the file holds a NUL byte: it is not a text CSV file (a spreadsheet or a compressed file?); save it as CSV")
	}
	return -1
}

func (g *guard) fail(at int, msg string) int {
	g.err = &FileError{File: g.name, Line: g.line, Msg: msg}
	return max(at, 0)
}
