package sim

import "testing"

var sink float64

// BenchmarkParts measures the engine's parts one at a time, in ns per
// operation, for the cost model of docs/engine.md: each part's budget per
// child-arm is its cost here times how often a child-arm needs it.
func BenchmarkParts(b *testing.B) {
	m := richModel()
	m.Costs.DiscountRate = 0.035
	c := compile(m)
	w := newWorker()
	w.use(c)
	w.t = newTally(c)
	w.ik = iterKey(1, 0)
	s := streamOf(7, streamCare, 0)
	b.Run("Exp", func(b *testing.B) {
		x := 0.0
		for i := range uint64(b.N) {
			x += s.exp(i)
		}
		sink = x
	})
	b.Run("Uniform", func(b *testing.B) {
		x := 0.0
		for i := range uint64(b.N) {
			x += s.float(i)
		}
		sink = x
	})
	b.Run("StreamKey", func(b *testing.B) {
		k := uint64(0)
		for i := range uint64(b.N) {
			k += uint64(streamOf(uint64(i), streamCare, i))
		}
		sink = float64(k)
	})
	b.Run("Categorical", func(b *testing.B) {
		k := 0
		for i := range uint64(b.N) {
			k += c.stock.place.draw(s.bits(i))
		}
		sink = float64(k)
	})
	b.Run("Attributes", func(b *testing.B) {
		var ch child
		for i := range b.N {
			w.attributes(&ch, fromStock, i, 0)
		}
	})
	b.Run("Discount", func(b *testing.B) {
		x := 0.0
		for i := range b.N {
			x += c.discount(float64(i%600) * 0.1)
		}
		sink = x
	})
	b.Run("Ramp", func(b *testing.B) {
		for i := range b.N {
			a := float64(i%500) * 0.1
			w.ramp(0, a, 0.9, a+3.7, 0.8)
		}
	})
	b.Run("Follow", func(b *testing.B) {
		for i := range b.N {
			w.t.follow(float64(i%600)*0.1, i&1 == 0)
		}
	})
	b.Run("ScheduleInvert", func(b *testing.B) {
		sc := &c.arms[1].homeSched[1][0]
		x := 0.0
		for i := range uint64(b.N) {
			x += sc.invert(s.exp(i))
		}
		sink = x
	})
	b.Run("ReturnWalk", func(b *testing.B) {
		var ch child
		w.start(&ch, fromStock, 0, 0)
		x := 0.0
		for i := range uint64(b.N) {
			t, _ := w.returnWalk(&ch, 0, s.exp(i), ch.end, ch.band, ch.seg)
			x += t
		}
		sink = x
	})
	b.Run("Plan", func(b *testing.B) {
		var ch child
		ch.stage, ch.end = inCare, 60
		for i := range uint64(b.N) {
			ch.clock = [3]float64{s.exp(i) * 50, 40, s.exp(i+1) * 70}
			ch.plan()
		}
	})
}
