package summary

import "fmt"

// NoVOIReason says why a run of arms arms, iterations iterations and
// params uncertain parameters has no value of information (no voi.csv),
// or "" when it has one: the rule HasVOI applies, in words a report can
// print.
func NoVOIReason(params, arms, iterations int) string {
	switch {
	case params == 0:
		return "no figure of the scenario is uncertain (given as a distribution), so there is no uncertainty to value"
	case arms < 2:
		return "the scenario has one arm, so there is no decision to inform"
	case iterations < MinIterations:
		return fmt.Sprintf("%d iterations are too few to estimate it (at least %d are needed)", iterations, MinIterations)
	}
	return ""
}
