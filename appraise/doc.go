// Package appraise makes the appraisal pack of a scenario (reunify
// appraise): in one new result folder, the probabilistic run's files, the
// base case (every parameter at its mean), a tornado from the base case,
// the break-even values of the support effect and uptake, and the report
// that puts them together for a finance committee (docs/appraisal.md).
//
// It drives the packages that do the work (sim, sensitivity, summary,
// resultdir, report) and writes through one safefile.Plan, so the pack
// lands whole or not at all.
package appraise
