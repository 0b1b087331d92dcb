// Package calibrate turns a local authority's own data into a reunify
// scenario, in two ways.
//
// From the SSDA903 return: Estimate takes the periods of care that package
// ssda903 reconstructs and computes occurrence/exposure estimates of
// piecewise-constant hazards over a collection window (Window): the entry
// rate and age at entry, the stock at the start, the placement mix and
// moves between placement types, return-home rates by age band and months
// in care, permanent exits by age band and re-entry hazards by months since
// a return. Time at risk is censored at the window's end (the censoring
// date), at the 18th birthday and when the child leaves the state at risk,
// and counted only from the window's start (left truncation), so children
// whose period began before the files are used without bias.
// DefaultWindow finds the collection years the files hold, and
// Window.Check warns of years without data. PoolAll partially pools every
// table of rates (Pool: empirical Bayes, gamma-Poisson), each cell shrunk
// toward the pattern over all cells and, with several authorities, each
// authority toward its region. WriteScenario writes the estimates as a
// complete, commented scenario in which every rate carries its events and
// months at risk and its posterior distribution. Backtest fits the
// earlier years of a return and compares the prediction of the later
// years with what the files record.
//
// From aggregate targets: Fit adjusts named scenario parameters until the
// simulated baseline reproduces targets such as "18% back in care within
// 12 months", with common random numbers, by bisection or Nelder-Mead,
// and WriteFitted writes the fitted scenario.
//
// Synth goes the other way, from a scenario to simulated SSDA903 files, so
// that the estimation can be tested on data whose true rates are known.
package calibrate
