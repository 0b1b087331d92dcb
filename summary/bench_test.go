package summary

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchPSA is a two-arm PSA with p parameters, the first three of which
// enter the net benefit, and child-level noise on top.
func benchPSA(n, p int) (reentries, costs, params [][]float64) {
	rng := rand.New(rand.NewPCG(1, 1))
	reentries = [][]float64{make([]float64, n), make([]float64, n)}
	costs = [][]float64{make([]float64, n), make([]float64, n)}
	params = make([][]float64, n)
	for i := range n {
		row := make([]float64, p)
		for j := range row {
			row[j] = rng.NormFloat64()
		}
		params[i] = row
		base := 50 + 5*rng.NormFloat64()
		reentries[0][i] = base
		reentries[1][i] = base - (10 + 3*row[0] + 2*rng.NormFloat64())
		costs[0][i] = 1e7 + 1e5*rng.NormFloat64()
		costs[1][i] = costs[0][i] + 2e5 + 5e4*row[1] + 3e4*row[2]*row[2] + 3e4*rng.NormFloat64()
	}
	return reentries, costs, params
}

// acceptabilityGrid is the values of acceptability.csv: £0 to £200,000
// by £5,000, and £61,614.
func acceptabilityGrid() []float64 {
	var vs []float64
	for v := 0.0; v <= 200000; v += 5000 {
		vs = append(vs, v)
	}
	return append(vs, 61614)
}

// BenchmarkEVPPI is one value of the value of information for a report:
// the EVPPI of each of 20 parameters and of all of them together.
func BenchmarkEVPPI(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("iterations=%d/params=20", n), func(b *testing.B) {
			r, c, params := benchPSA(n, 20)
			nb, err := NetBenefits(20000, r, c)
			if err != nil {
				b.Fatal(err)
			}
			cols := make([][]float64, 20)
			for j := range cols {
				cols[j] = column(params, j)
			}
			for b.Loop() {
				for j := range cols {
					if _, err := EVPPI(nb, cols[j]); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := EVPPIAll(nb, params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVOI is voi.csv: 20 parameters and all of them, at each of the
// 42 values of acceptability.csv.
func BenchmarkVOI(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("iterations=%d/params=20/values=42", n), func(b *testing.B) {
			r, c, params := benchPSA(n, 20)
			names := make([]string, 20)
			for j := range names {
				names[j] = fmt.Sprint("p", j)
			}
			values := acceptabilityGrid()
			for b.Loop() {
				if _, err := VOI(values, r, c, params, names); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFrontier is the frontier and expected loss of three arms over
// the acceptability grid.
func BenchmarkFrontier(b *testing.B) {
	r, c, _ := benchPSA(10000, 3)
	r = append(r, r[1])
	c = append(c, c[0])
	values := acceptabilityGrid()
	for b.Loop() {
		if _, err := Frontier(values, r, c); err != nil {
			b.Fatal(err)
		}
		if _, err := ExpectedLoss(values, r, c); err != nil {
			b.Fatal(err)
		}
	}
}
