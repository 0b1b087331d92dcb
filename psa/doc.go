// Package psa lays out a probabilistic sensitivity analysis as the wide
// tables that health economists' tools read without reshaping: one row
// per iteration (in the order of sim.Results.Iterations) and one column
// per arm, or per parameter. The layout is that of R's dampack
// (make_psa_obj(cost, effectiveness, parameters, strategies): each
// simulation a row, each strategy a column), so that
//
//	cost <- read.csv("cost.csv")
//	effect <- read.csv("effectiveness.csv")
//	params <- read.csv("parameters.csv")
//	psa <- dampack::make_psa_obj(cost, effect, params, names(cost), "£")
//
// builds the object from a result folder's export. The tables hold no
// iteration column (it would be read as one more strategy): row i is
// iteration i of the run.
//
// The effect is the re-entries to care averted against the baseline
// (the baseline's column is 0), so that more is better, as dampack
// expects of an effect, and dampack's net monetary benefit, effect x
// willingness to pay - cost, differs between arms exactly as the net
// benefit of package summary does. Every other per-arm metric that the
// run observed becomes a table of its own (for make_psa_obj's
// other_outcome); a metric undefined in every iteration and arm (the
// 60-month re-entry rate of a 5-year horizon) is left out rather than
// written as a column of NA, which R would read as logical.
package psa
