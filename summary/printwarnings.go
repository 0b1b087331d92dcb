package summary

import (
	"fmt"
	"io"

	"github.com/reunify/reunify/sim"
)

// PrintWarnings prints the Warnings of the results of the scenario name
// to w (stderr), one a line, as reunify's commands print them, with
// --quiet too: run and appraise print the same.
func PrintWarnings(w io.Writer, name string, res *sim.Results) {
	for _, msg := range Warnings(res) {
		fmt.Fprintf(w, "reunify: warning: %s: %s\n", name, msg)
	}
}
