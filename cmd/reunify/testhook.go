//go:build reunifytest

package main

import "github.com/reunify/reunify/output"

// A test build pauses at the phase named by REUNIFY_TEST_PHASE, in the
// command's steps and in the output package's commits alike.
func init() { phase = output.TestPhase }
