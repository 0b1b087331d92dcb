package sim

// CPUTime is cpuTimeInternal, for the external benchmarks.
var CPUTime = cpuTimeInternal
