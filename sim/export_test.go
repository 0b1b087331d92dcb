package sim

// CPUTime is cpuTimeInternal, for the external benchmarks.
var CPUTime = cpuTimeInternal

// GeneralOnly returns o with the cohort kernel switched off, for the
// external tests that compare it with the general path.
func GeneralOnly(o Options) Options {
	o.general = true
	return o
}

// HasKernel reports whether m has the cohort kernel's shape.
func HasKernel(m *Model) bool { return compile(m).kern != nil }
