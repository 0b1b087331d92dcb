// Package psa lays out a probabilistic sensitivity analysis as the wide
// tables that health economists' tools read without reshaping: one row
// per iteration (in the order of sim.Results.Iterations) and one column
// per arm, or per parameter. The layout is that of R's dampack
// (make_psa_obj(cost, effectiveness, parameters, strategies): each
// simulation a row, each strategy a column), so that, in a result
// folder,
//
//	cost <- read.csv("dampack_cost.csv")
//	effect <- read.csv("dampack_effectiveness.csv")
//	params <- read.csv("dampack_parameters.csv")
//	psa <- dampack::make_psa_obj(cost, effect, params, names(cost), "£")
//
// builds the object (package resultdir names and writes the files). The
// tables hold no iteration column (it would be read as one more
// strategy): row i is iteration i of the run. read.csv makes the arm
// names syntactic (with-support becomes with.support), as make_psa_obj
// would itself.
//
// The effect is the re-entries to care averted against the baseline
// (the baseline's column is 0), so that more is better, as dampack
// expects of an effect, and dampack's net monetary benefit, effect x
// willingness to pay - cost, differs between arms exactly as the net
// benefit of package summary does. Numbers are written with at most
// Digits significant digits.
package psa
