package main

import (
	"strings"
	"testing"
)

// TestHelpPrintedOnce: "help CMD" and "CMD -h" once printed the text on
// both stdout and stderr. Help asked for goes to stdout only, once; the
// help after a mistake goes to stderr only, once.
func TestHelpPrintedOnce(t *testing.T) {
	for _, c := range commands() {
		for _, args := range [][]string{{"help", c.name}, {c.name, "-h"}, {c.name, "--help"}} {
			stdout, stderr, code := reunify(t, args...)
			if code != 0 || stderr != "" || strings.Count(stdout, "Usage: ") != 1 {
				t.Errorf("%q: exit %d, %d usages on stdout, stderr %q", args, code, strings.Count(stdout, "Usage: "), stderr)
			}
		}
		stdout, stderr, code := reunify(t, c.name, "--no-such-flag")
		if code != 2 || stdout != "" || strings.Count(stderr, "Usage: ") != 1 {
			t.Errorf("%s --no-such-flag: exit %d, stdout %q, %d usages on stderr", c.name, code, stdout, strings.Count(stderr, "Usage: "))
		}
	}
}
