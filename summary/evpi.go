package summary

import "math"

// EVPI returns the naive expected value of perfect information of the net
// benefits nb[a][i] (arm a, iteration i): the mean over iterations of the
// best arm's net benefit, less the best mean net benefit. It needs two
// arms and finite values (ErrTooFewArms, ErrShape, ErrNotFinite).
//
// Each iteration of a microsimulation carries the children's luck as well
// as the sampled parameters, so this counts knowing in advance which
// children will be lucky as information, which no research can give.
// It is an upper bound on the value of learning the parameters; EVPPI,
// EVPPIAll and VOI estimate that. In a model without chance, whose net
// benefits are functions of the parameters alone (a cohort model), the
// two agree.
func EVPI(nb [][]float64) (float64, error) {
	if _, err := checkMatrix("net benefits", nb); err != nil {
		return 0, err
	}
	raw, _ := decisionValue(differences(nb), nil)
	return math.Max(raw, 0), nil
}

// differences returns nb[d] - nb[0] for the arms d >= 1.
func differences(nb [][]float64) [][]float64 {
	out := make([][]float64, len(nb)-1)
	for d := 1; d < len(nb); d++ {
		row := make([]float64, len(nb[d]))
		for i, x := range nb[d] {
			row[i] = x - nb[0][i]
		}
		out[d-1] = row
	}
	return out
}

// decisionValue is the value of choosing the arm by fits, against
// choosing the arm with the best mean net benefit, for the net-benefit
// differences diffs[d][i] (arm d+1 minus arm 0; arm 0 is 0): the mean
// over iterations of max(0, max_d fits[d][i]) less max(0, max_d mean
// diffs[d]). With fits = diffs (nil) it is the naive EVPI; with fits the
// regression estimates of E[diffs | parameters] it is the regression
// estimate of the EVPPI (Strong, Oakley and Brennan 2014, eq. 11, written
// as dampack's calc_evppi writes it, on losses against one arm).
//
// se is its first-order Monte Carlo standard error: the standard
// deviation over iterations of the observed net-benefit difference
// between the arm the fits choose and the arm the means choose, divided
// by sqrt(n). This is the influence of each iteration on the estimate
// when the fitted curves are taken as known, as in the delta method; it
// leaves out the error of the fitted curves, which is of higher order
// for a smooth fit (see EVPPI).
func decisionValue(diffs, fits [][]float64) (raw, se float64) {
	if fits == nil {
		fits = diffs
	}
	n := len(diffs[0])
	// The arm the means choose: 0, or d+1 with the largest mean difference.
	dMean, best := -1, 0.0
	for d, row := range diffs {
		if m := meanOf(row); m > best {
			dMean, best = d, m
		}
	}
	observed := func(d, i int) float64 {
		if d < 0 {
			return 0
		}
		return diffs[d][i]
	}
	var sum, psiSum, psiSq float64
	for i := range n {
		dFit, top := -1, 0.0
		for d := range fits {
			if f := fits[d][i]; f > top {
				dFit, top = d, f
			}
		}
		sum += top
		psi := observed(dFit, i) - observed(dMean, i)
		psiSum += psi
		psiSq += psi * psi
	}
	nf := float64(n)
	raw = sum/nf - best
	if n > 1 {
		m := psiSum / nf
		se = math.Sqrt(math.Max(psiSq-nf*m*m, 0) / (nf - 1) / nf)
	}
	return raw, se
}
