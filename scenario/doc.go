// Package scenario reads reunify scenario files (TOML), validates them
// against the schema and builds the engine's model, sim.Model, from them.
//
// A scenario gives figures in the units that published sources use: rates
// per year, ages and the horizon in years, costs per week or per month.
// Build converts them to the engine's units (months and rates per month) and
// turns the published cumulative form of a survival curve ("20% back in
// care within 12 months") into piecewise-constant hazards.
//
// Any numeric parameter marked as distribution-capable in the scenario
// reference may be given as a plain number or as a distribution, written
// either as a string or as an inline table:
//
//	hr_reentry = "lognormal(mean=0.7, sd=0.1)"
//	hr_reentry = { dist = "lognormal", mean = 0.7, sd = 0.1 }
//
// Such parameters become sim.Param values that the engine draws once per
// iteration (probabilistic sensitivity analysis); the base model uses each
// distribution's mean.
//
// Every key is a row of one table, the parameter table (params.go): each
// number's path, unit, default and its source, range, whether it may be a
// distribution, and where the engine reads it. Defaults, validation,
// Build, Explain, Resolved and --set are all driven by it.
//
// Load and LoadBytes report every problem they find at once, as Problems,
// each naming the file, line, column and key path. Overrides given on the
// command line (--set key.path=value) are applied before validation.
package scenario
