// Package sensitivity runs the decision-modelling analyses that funding
// bids need on top of the engine: one-way sensitivity (a tornado), one-
// and two-way sweeps over a parameter grid, and break-even (threshold)
// analysis by bisection.
//
// Every analysis uses common random numbers: each of its simulation runs
// uses the same seed, so iteration i of every run simulates the same
// children with the same luck, and the difference between two runs comes
// from the parameter values, not from Monte Carlo noise. (The engine
// draws each random number from a stream keyed by seed, iteration, child
// and process, never by arm or parameter value.)
//
// A metric is either a comparison metric of a policy arm against the
// baseline arm (net_saving, reentries_averted, incremental_cost, roi,
// cost_per_reentry_averted, prob_cost_saving, diff_<metric>), summarised
// exactly as comparison.csv summarises it (summary.Compare), or a per-arm
// metric (reentries, cost_total_discounted, ...) of one arm, summarised
// as in summary.csv.
//
// The analyses follow NICE and ISPOR modelling practice:
//
//   - Tornado: each uncertain parameter (one the scenario gives as a
//     distribution) is set to its low and then its high value, with every
//     other parameter at its mean; low and high are the explicit low and
//     high given in the scenario, or else the distribution's 2.5th and
//     97.5th percentiles. The bars are sorted by swing, the absolute
//     difference in the metric's mean.
//   - Sweep: the scenario is rebuilt at each grid point with the swept
//     parameters set to the point's values (as --set would); the other
//     distributions are still drawn per iteration (probabilistic
//     sensitivity analysis at every point), so each point's interval and
//     probability of a positive value carry all the remaining uncertainty.
//   - Break-even: bisection on one parameter, rebuilt as in a sweep, for
//     the value at which the metric's mean reaches a target; and the
//     values at which its 2.5th and 97.5th percentiles reach it, so that
//     a user can say "to save money with 97.5% probability the hazard
//     ratio must be below X".
//
// Errors caused by the user's input (an unknown metric or arm, a bracket
// that does not straddle the target, a malformed grid) are *InputError.
package sensitivity
