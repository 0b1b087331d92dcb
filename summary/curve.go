package summary

// scan is the loop Frontier and ExpectedLoss share: it checks their
// inputs, then for each value on the grid calls step with every
// iteration's net benefits by arm, and done with the arms' mean net
// benefits. step and done may keep the slices only until they return.
func scan(values []float64, reentries, costs [][]float64, step func(nb []float64), done func(k int, means []float64)) error {
	n, err := checkArms(reentries, costs)
	if err != nil {
		return err
	}
	if n == 0 {
		return errNoIterations
	}
	if err := checkValues(values); err != nil {
		return err
	}
	arms := len(reentries)
	nb := make([]float64, arms)
	sums := make([]float64, arms)
	for k, v := range values {
		clear(sums)
		for i := range n {
			for a := range arms {
				nb[a] = NetBenefit(v, reentries[a][i], costs[a][i])
				sums[a] += nb[a]
			}
			step(nb)
		}
		for a := range sums {
			sums[a] /= float64(n)
		}
		done(k, sums)
	}
	return nil
}

// argmax is the index of the largest of xs, the first of ties.
func argmax(xs []float64) int {
	best := 0
	for a, x := range xs {
		if x > xs[best] {
			best = a
		}
	}
	return best
}
