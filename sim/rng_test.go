package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGeneratorMatchesMathRand checks that the engine's concrete PCG gives
// exactly the numbers of math/rand/v2's rand.New(rand.NewPCG(...)), for
// every kind of draw the engine makes, including the ziggurat's rare tail
// and wedge branches (about 1% of exponential draws).
func TestGeneratorMatchesMathRand(t *testing.T) {
	draws := 3_000_000
	if testing.Short() {
		draws = 300_000
	}
	var p pcg
	for s := range uint64(20) {
		seedStream(&p, splitmix64(s), streamCare, s)
		r := rand.New(rand.NewPCG(p.hi, p.lo))
		for i := range draws / 20 {
			var got, want float64
			switch i % 5 {
			case 0:
				got, want = p.Float64(), r.Float64()
			case 4:
				got, want = float64(p.Uint64()), float64(r.Uint64())
			default:
				got, want = p.ExpFloat64(), r.ExpFloat64()
			}
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("seed %d, draw %d: %v, want %v", s, i, got, want)
			}
		}
	}
}

var sink float64

// BenchmarkRNG is the raw speed of one draw with the generator the engine
// uses: the practical limit of a simulation that needs one draw per event.
func BenchmarkRNG(b *testing.B) {
	b.Run("ExpFloat64", func(b *testing.B) {
		var p pcg
		seedStream(&p, 1, streamCare, 0)
		s := 0.0
		for range b.N {
			s += p.ExpFloat64()
		}
		sink = s
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "draws/s")
	})
	b.Run("Float64", func(b *testing.B) {
		var p pcg
		seedStream(&p, 1, streamCare, 0)
		s := 0.0
		for range b.N {
			s += p.Float64()
		}
		sink = s
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "draws/s")
	})
	b.Run("MathRandExpFloat64", func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		s := 0.0
		for range b.N {
			s += r.ExpFloat64()
		}
		sink = s
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "draws/s")
	})
	b.Run("Seed", func(b *testing.B) {
		var p pcg
		for i := range b.N {
			seedStream(&p, uint64(i), streamCare, 0)
		}
		sink = float64(p.lo)
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "seeds/s")
	})
}
