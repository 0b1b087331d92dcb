//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTimeInternal is the process's user and system CPU time so far, for
// the package's own benchmarks (the external tests have cpuTime).
func cpuTimeInternal() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
