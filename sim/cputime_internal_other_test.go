//go:build !unix

package sim

import "time"

// cpuTimeInternal is not measured here: the cpu-ns/child metric reads 0.
func cpuTimeInternal() time.Duration { return 0 }
