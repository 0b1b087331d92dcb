// Package summary holds the statistics of simulated results: each arm's
// metrics summarised across iterations (summary.csv, yearly.csv), each
// policy compared with the baseline iteration by iteration
// (comparison.csv), the cost-effectiveness acceptability curve
// (acceptability.csv) and the re-entry curve (survival.csv); and the
// decision statistics of a probabilistic sensitivity analysis (PSA): the
// value of information, the cost-effectiveness acceptability frontier,
// the expected loss curve and the Monte Carlo precision of the headline
// figures.
//
// Of the project it imports only sim: it computes, and leaves files and
// their formats to resultdir and presentation to report. The decision
// statistics work on plain slices, so any program can use them, in two
// layouts that follow the engine's results:
//
//   - per-arm values are arm-major: reentries[a][i] and costs[a][i] are
//     arm a in iteration i (the layout of sim.Results.Outcomes), and arm
//     0 is the baseline;
//   - sampled parameters are iteration-major: params[i][p] is parameter p
//     in iteration i (the layout of sim.Results.Params).
//
// # Summaries
//
// Statistics follow R's conventions, so that users can reproduce every
// figure from iterations.csv: standard deviations divide by n-1, means
// are refined by a second pass as R's mean is, and percentiles are R's
// default type-7 quantiles (linear interpolation between order
// statistics; numpy's default "linear" method). NaN marks a value
// undefined in an iteration (a re-entry rate with no returns) and is
// left out of every statistic.
//
// A comparison is made iteration by iteration: both arms of an iteration
// simulate the same children with the same random numbers, so the
// difference is the policy's effect, not noise. Compare lists the rows
// of comparison.csv; NetSavings is the one definition of the net saving
// (the baseline's discounted cost minus the policy's) that the
// comparison, the terminal table and the report all use.
//
// # Net benefit
//
// An arm's net benefit in an iteration is NetBenefit(value, reentries,
// cost) = -value*reentries - cost, in pounds, where value is the amount
// placed on one averted re-entry to care and cost is the arm's
// discounted total cost over the horizon. Only differences between arms
// matter: arm d's net benefit minus the baseline's is value x re-entries
// averted - incremental cost, the net monetary benefit whose sign
// acceptability.csv counts, and at a value of 0 it is the net saving.
// value should count what an averted re-entry is worth beyond the costs
// already in the model (the child's wellbeing, not the cost of care,
// which the incremental cost already holds). Every figure here is in
// pounds per decision over the horizon, discounted as the costs are: one
// decision covers the whole population the scenario simulates.
//
// # Value of information
//
// EVPI is the naive expected value of perfect information, E max - max E
// over iterations. In a microsimulation each iteration's net benefit
// carries the children's luck as well as the parameters, so this figure
// counts foreseeing which children will be lucky as information. It is
// an upper bound. EVPPI, EVPPIAll and VOI estimate what research can
// learn, the parameters, by regressing the net benefits on the sampled
// parameters (Strong, Oakley and Brennan 2014, Med Decis Making
// 34:311-326, the method of dampack's calc_evppi): a penalised cubic
// regression spline with shrinkage in one parameter, its smoothness
// chosen by REML as mgcv's gam with method = "REML" does, or an additive
// model of such splines in all parameters together. Estimates are clamped to
// [0, EVPI].
//
// # Decisions between any number of arms
//
// Frontier gives, for each value on a grid, every arm's probability of
// having the highest net benefit and the arm on the cost-effectiveness
// acceptability frontier, the one with the highest expected net benefit;
// ExpectedLoss gives every arm's expected loss (Alarid-Escudero et al.
// 2019, Value Health 22:611-618). Pairwise curves against the
// baseline do not say which of three or more arms to choose; these do.
//
// # Precision
//
// MeanPrecision and ProbPrecision give the Monte Carlo standard error of
// a mean (such as the mean net saving) and of a probability (such as the
// probability of saving money), and the iterations needed for a stated
// precision, so that a report can warn when its figures rest on too few.
package summary
