package summary

// FrontierPoint is the cost-effectiveness acceptability curves of every
// arm and the acceptability frontier at one value per re-entry averted.
type FrontierPoint struct {
	// Value is the amount placed on one averted re-entry, in pounds.
	Value float64
	// ProbBest[a] is the share of iterations in which arm a has the
	// highest net benefit (ties go to the arm listed first, so with two
	// arms ProbBest[1] is acceptability.csv's prob_worth_it). The shares
	// sum to 1.
	ProbBest []float64
	// Best is the arm with the highest mean net benefit, the arm a
	// decision maker who values a re-entry averted at Value should choose
	// (ties to the arm listed first). The frontier is Best's curve.
	Best int
	// Frontier is ProbBest[Best]: the probability that the arm chosen is
	// the best. It can be below another arm's ProbBest: an arm that wins
	// narrowly in most iterations but loses heavily in some is not the one
	// to choose.
	Frontier float64
}

// Frontier returns, for each value on a grid (pounds per re-entry
// averted, in the order given), every arm's probability of having the
// highest net benefit and the cost-effectiveness acceptability frontier
// (Fenwick, Claxton and Sculpher 2001; Alarid-Escudero et al. 2019), from
// the re-entries and discounted costs of every arm and iteration
// (reentries[a][i], costs[a][i]). Any number of arms from two works.
// Errors: ErrTooFewArms, ErrShape, ErrNotFinite; no iterations give an
// ErrShape too.
//
// Like acceptability.csv, the probabilities are over iterations, so they
// include the children's luck as well as the uncertain parameters.
func Frontier(values []float64, reentries, costs [][]float64) ([]FrontierPoint, error) {
	out := make([]FrontierPoint, len(values))
	var wins []float64
	err := scan(values, reentries, costs,
		func(nb []float64) {
			if wins == nil {
				wins = make([]float64, len(nb))
			}
			wins[argmax(nb)]++
		},
		func(k int, means []float64) {
			var total float64
			for _, w := range wins {
				total += w
			}
			for a := range wins {
				wins[a] /= total
			}
			best := argmax(means)
			out[k] = FrontierPoint{Value: values[k], ProbBest: wins, Best: best, Frontier: wins[best]}
			wins = nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}
