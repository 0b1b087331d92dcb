//go:build !unix

package sim_test

import "time"

// cpuTime is not measured here: the cpu-ns/child metric reads 0.
func cpuTime() time.Duration { return 0 }
