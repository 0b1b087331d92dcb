//go:build reunifytest

package main

import "github.com/reunify/reunify/internal/safefile"

// A test build pauses at the phase named by REUNIFY_TEST_PHASE, in the
// command's steps and in safefile's commits alike.
func init() { phase = safefile.TestPhase }
