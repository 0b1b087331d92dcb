// Package limits refuses work that a simulating command should not start
// without being told to (--allow-large): a run, a batch or an analysis
// whose estimated time, memory or disk is beyond what the machine can
// give. The limits refuse only the absurd (a typo adding three zeros): a
// national scenario at 10,000 iterations is well inside them. The
// refusal gives the estimate and how many iterations would fit.
package limits
