package main

// phase marks a step of a command (loaded, planned, simulated, written,
// reported, committed); a test build (-tags reunifytest) pauses there
// when asked, so that tests can signal or kill it at every step.
var phase = func(name string) {}
