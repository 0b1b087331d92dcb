package summary

import "fmt"

// NetBenefit is an arm's net benefit in one iteration, in pounds: value
// placed on each re-entry averted (so -value per re-entry) less the arm's
// discounted total cost. Arm d's net benefit minus the baseline's is
// value x (baseline re-entries - d's re-entries) - (d's cost - the
// baseline's cost): the net monetary benefit of d.
func NetBenefit(value, reentries, cost float64) float64 {
	return -value*reentries - cost
}

// NetBenefits returns nb[a][i] = NetBenefit(value, reentries[a][i],
// costs[a][i]) for every arm and iteration.
func NetBenefits(value float64, reentries, costs [][]float64) ([][]float64, error) {
	n, err := checkArms(reentries, costs)
	if err != nil {
		return nil, err
	}
	if !finite(value) {
		return nil, fmt.Errorf("%w: value per re-entry averted %v", ErrNotFinite, value)
	}
	nb := make([][]float64, len(reentries))
	for a := range nb {
		nb[a] = make([]float64, n)
		for i := range n {
			nb[a][i] = NetBenefit(value, reentries[a][i], costs[a][i])
		}
	}
	return nb, nil
}

// incremental returns, for each arm d >= 1 against arm 0, the re-entries
// averted and the incremental cost per iteration. The difference of net
// benefits is linear in value: NetBenefit(v, r_d, c_d) - NetBenefit(v,
// r_0, c_0) = v*averted_d - incr_d, which lets VOI fit the two parts once
// for every value on a grid.
func incremental(reentries, costs [][]float64) (averted, incr [][]float64) {
	d := len(reentries) - 1
	averted, incr = make([][]float64, d), make([][]float64, d)
	for a := 1; a < len(reentries); a++ {
		n := len(reentries[a])
		av, ic := make([]float64, n), make([]float64, n)
		for i := range n {
			av[i] = reentries[0][i] - reentries[a][i]
			ic[i] = costs[a][i] - costs[0][i]
		}
		averted[a-1], incr[a-1] = av, ic
	}
	return averted, incr
}

// checkMatrix checks that m has at least two arms of one length, every
// value finite, and returns the length. what names m in errors.
func checkMatrix(what string, m [][]float64) (int, error) {
	if len(m) < 2 {
		return 0, fmt.Errorf("%w: %s has %d", ErrTooFewArms, what, len(m))
	}
	n := len(m[0])
	for a, row := range m {
		if len(row) != n {
			return 0, fmt.Errorf("%w: %s: arm %d has %d iterations, arm 0 has %d", ErrShape, what, a, len(row), n)
		}
		for i, x := range row {
			if !finite(x) {
				return 0, fmt.Errorf("%w: %s: arm %d, iteration %d: %v", ErrNotFinite, what, a, i, x)
			}
		}
	}
	return n, nil
}

// checkArms checks reentries and costs as checkMatrix does and that they
// agree in shape.
func checkArms(reentries, costs [][]float64) (int, error) {
	n, err := checkMatrix("reentries", reentries)
	if err != nil {
		return 0, err
	}
	m, err := checkMatrix("costs", costs)
	if err != nil {
		return 0, err
	}
	if len(costs) != len(reentries) || m != n {
		return 0, fmt.Errorf("%w: reentries has %d arms x %d iterations, costs %d x %d", ErrShape, len(reentries), n, len(costs), m)
	}
	return n, nil
}

// checkValues checks that every value on a grid is finite.
func checkValues(values []float64) error {
	for k, v := range values {
		if !finite(v) {
			return fmt.Errorf("%w: value %d per re-entry averted: %v", ErrNotFinite, k, v)
		}
	}
	return nil
}

// checkParams checks that params has n rows of one width, every value
// finite, and returns the width.
func checkParams(params [][]float64, n int) (int, error) {
	if len(params) != n {
		return 0, fmt.Errorf("%w: %d rows of parameters for %d iterations", ErrShape, len(params), n)
	}
	if n == 0 {
		return 0, nil
	}
	p := len(params[0])
	for i, row := range params {
		if len(row) != p {
			return 0, fmt.Errorf("%w: parameters: iteration %d has %d values, iteration 0 has %d", ErrShape, i, len(row), p)
		}
		for j, x := range row {
			if !finite(x) {
				return 0, fmt.Errorf("%w: parameter %d, iteration %d: %v", ErrNotFinite, j, i, x)
			}
		}
	}
	return p, nil
}

// column returns parameter j across iterations.
func column(params [][]float64, j int) []float64 {
	c := make([]float64, len(params))
	for i, row := range params {
		c[i] = row[j]
	}
	return c
}
