package summary

// LossPoint is every arm's expected loss at one value per re-entry
// averted.
type LossPoint struct {
	// Value is the amount placed on one averted re-entry, in pounds.
	Value float64
	// Loss[a] is arm a's expected loss, in pounds per decision: the mean
	// over iterations of the best arm's net benefit in that iteration
	// less arm a's. It is at least 0.
	Loss []float64
	// Best is the arm with the highest mean net benefit (ties to the arm
	// listed first), Frontier's Best: the arm with the smallest expected
	// loss. Loss[Best] is the naive EVPI at Value.
	Best int
}

// ExpectedLoss returns every arm's expected loss curve over a grid of
// values per re-entry averted (Alarid-Escudero et al. 2019, Value
// Health 22:611-618; dampack's calc_exp_loss), from the re-entries and
// discounted costs of every arm and iteration. Unlike the acceptability
// curves it weighs how much is lost when an arm is not the best, not
// only how often. Errors as Frontier's.
//
// The losses are over iterations, so like the naive EVPI they count the
// children's luck: the frontier's loss is an upper bound on what
// research about the parameters could be worth (VOI estimates that).
func ExpectedLoss(values []float64, reentries, costs [][]float64) ([]LossPoint, error) {
	out := make([]LossPoint, len(values))
	var loss []float64
	var n int
	err := scan(values, reentries, costs,
		func(nb []float64) {
			if loss == nil {
				loss, n = make([]float64, len(nb)), 0
			}
			top := nb[argmax(nb)]
			for a, x := range nb {
				loss[a] += top - x
			}
			n++
		},
		func(k int, means []float64) {
			for a := range loss {
				loss[a] /= float64(n)
			}
			out[k] = LossPoint{Value: values[k], Loss: loss, Best: argmax(means)}
			loss = nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}
