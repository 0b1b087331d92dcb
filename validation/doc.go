// Package validation checks the shipped scenarios against the published
// figures they were built from: re-entry after return at 3, 12, 60 and 72
// months, returns home as a share of exits, the national cost study's
// arithmetic, the Coventry residential case, maltreatment after return
// with and without parental substance misuse, the directions of the UEA
// 2020 study, and the spread of re-entry between authorities.
//
// Each check runs a scenario (or a variant of it built through the
// engine's public API), and passes when the simulated mean lies within
// the check's band widened by four Monte Carlo standard errors. The band
// is the published figure's own precision: its rounding, the sampling
// error of the study that produced it, or the tolerance the figure's use
// calls for; docs/validation.md gives each row's reason.
package validation
