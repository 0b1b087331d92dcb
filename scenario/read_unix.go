//go:build unix

package scenario

import (
	"errors"
	"os"
	"syscall"
)

// openNoWait opens path for reading without waiting: a named pipe with no
// writer, or a terminal, opens at once. It is never made the controlling
// terminal.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}

// readNow reads up to limit bytes from a device opened by openNoWait,
// never waiting: errWouldWait if it has nothing at first, else what it
// had until it ran dry, ended or reached limit.
func readNow(f *os.File, limit int) ([]byte, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, 0, min(limit, 64<<10))
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		var n int
		var rerr error
		// Returning true: one attempt, no wait for the device to be ready.
		if err := rc.Read(func(fd uintptr) bool {
			n, rerr = syscall.Read(int(fd), buf[len(buf):min(cap(buf), limit)])
			return true
		}); err != nil {
			return nil, err
		}
		switch {
		case errors.Is(rerr, syscall.EINTR):
			continue
		case errors.Is(rerr, syscall.EAGAIN):
			if len(buf) == 0 {
				return nil, errWouldWait
			}
			return buf, nil
		case rerr != nil:
			return nil, rerr
		case n == 0:
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
	return buf, nil
}
