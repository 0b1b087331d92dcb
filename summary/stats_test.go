package summary

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/reunify/reunify/internal/resultstest"
)

func TestSummarize(t *testing.T) {
	// Percentiles are R's: quantile(x, c(.025, .05, .25, .5, .75, .95,
	// .975)) with type 7, worked by hand: with index = 1+(n-1)p, the
	// value is x[floor(index)] plus the fractional part of index times
	// the gap to the next order statistic.
	tests := []struct {
		name string
		xs   []float64
		want Stats
	}{{
		// sorted 1 1 2 3 4 5 6 9; mean 31/8; squared deviations sum to
		// 52.875; index = 1+7p: 1.175, 1.35, 2.75, 4.5, 6.25, 7.65, 7.825
		name: "pi digits",
		xs:   []float64{3, 1, 4, 1, 5, 9, 2, 6},
		want: Stats{N: 8, Mean: 3.875, SD: math.Sqrt(52.875 / 7), MCSE: math.Sqrt(52.875/7) / math.Sqrt(8),
			P2_5: 1, P5: 1, P25: 1.75, P50: 3.5, P75: 5.25, P95: 7.95, P97_5: 8.475},
	}, {
		// R: quantile(1:10, c(.025, .05, .25, .5, .75, .95, .975))
		// 1.225 1.450 3.250 5.500 7.750 9.550 9.775; var(1:10) = 55/6
		name: "1 to 10",
		xs:   []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1},
		want: Stats{N: 10, Mean: 5.5, SD: math.Sqrt(55.0 / 6), MCSE: math.Sqrt(55.0/6) / math.Sqrt(10),
			P2_5: 1.225, P5: 1.45, P25: 3.25, P50: 5.5, P75: 7.75, P95: 9.55, P97_5: 9.775},
	}, {
		name: "NaN skipped",
		xs:   []float64{math.NaN(), 2, math.NaN(), 4},
		// index = 1+p: 1.025 ... 1.975
		want: Stats{N: 2, Mean: 3, SD: math.Sqrt2, MCSE: 1,
			P2_5: 2.05, P5: 2.1, P25: 2.5, P50: 3, P75: 3.5, P95: 3.9, P97_5: 3.95},
	}, {
		name: "one value",
		xs:   []float64{-7},
		want: Stats{N: 1, Mean: -7, SD: math.NaN(), MCSE: math.NaN(),
			P2_5: -7, P5: -7, P25: -7, P50: -7, P75: -7, P95: -7, P97_5: -7},
	}, {
		name: "ties",
		xs:   []float64{5, 5, 5, 5},
		want: Stats{N: 4, Mean: 5, SD: 0, MCSE: 0, P2_5: 5, P5: 5, P25: 5, P50: 5, P75: 5, P95: 5, P97_5: 5},
	}, {
		name: "empty",
		xs:   nil,
		want: allNaN,
	}, {
		name: "all NaN",
		xs:   []float64{math.NaN(), math.NaN()},
		want: allNaN,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.xs)
			got := Summarize(in)
			if !sameStats(got, tt.want) {
				t.Errorf("Summarize(%v)\n got %+v\nwant %+v", tt.xs, got, tt.want)
			}
			for i := range in { // the caller's slice is untouched
				if !resultstest.Near(in[i], tt.xs[i]) {
					t.Fatalf("Summarize modified its input: %v, was %v", in, tt.xs)
				}
			}
		})
	}
}

var allNaN = Stats{Mean: math.NaN(), SD: math.NaN(), MCSE: math.NaN(),
	P2_5: math.NaN(), P5: math.NaN(), P25: math.NaN(), P50: math.NaN(),
	P75: math.NaN(), P95: math.NaN(), P97_5: math.NaN()}

func sameStats(a, b Stats) bool {
	return a.N == b.N && resultstest.Near(a.Mean, b.Mean) && resultstest.Near(a.SD, b.SD) && resultstest.Near(a.MCSE, b.MCSE) &&
		resultstest.Near(a.P2_5, b.P2_5) && resultstest.Near(a.P5, b.P5) && resultstest.Near(a.P25, b.P25) && resultstest.Near(a.P50, b.P50) &&
		resultstest.Near(a.P75, b.P75) && resultstest.Near(a.P95, b.P95) && resultstest.Near(a.P97_5, b.P97_5)
}

func TestProbPositive(t *testing.T) {
	tests := []struct {
		xs   []float64
		want float64
	}{
		{[]float64{1, -1, 0, 2}, 0.5},
		{[]float64{math.NaN(), 1, -1}, 0.5},
		{[]float64{math.NaN()}, math.NaN()},
		{nil, math.NaN()},
	}
	for _, tt := range tests {
		if got := ProbPositive(tt.xs); !resultstest.Near(got, tt.want) {
			t.Errorf("ProbPositive(%v) = %v, want %v", tt.xs, got, tt.want)
		}
	}
}

func ExampleSummarize() {
	s := Summarize([]float64{3, 1, 4, 1, 5, 9, 2, 6, math.NaN()})
	fmt.Printf("n=%d mean=%.3f sd=%.3f\n", s.N, s.Mean, s.SD)
	fmt.Printf("median=%.6g 95%% interval=%.6g to %.6g\n", s.P50, s.P2_5, s.P97_5)
	// Output:
	// n=8 mean=3.875 sd=2.748
	// median=3.5 95% interval=1 to 8.475
}
