//go:build unix

package sim

import (
	"syscall"
	"time"
)

// cpuTimeInternal is the process's user and system CPU time so far.
// Other jobs may share the machine, so besides wall time the benchmarks
// report CPU time per child, which load disturbs far less.
func cpuTimeInternal() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
