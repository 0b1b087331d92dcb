package resultdir

import (
	"io"
	"math"
	"slices"
)

// TornadoRow is one row of tornado.csv (TornadoFile), written by the
// tornado analysis (sensitivity.RunTornado) and drawn by the report: the
// metric's mean with one parameter at its low and at its high value,
// every other parameter at its mean.
type TornadoRow struct {
	Parameter                 string  // the parameter's scenario path
	LowValue, HighValue       float64 // the values tried, in scenario (file) units
	MetricAtLow, MetricAtHigh float64 // the metric's mean at each
	Swing                     float64 // |MetricAtHigh - MetricAtLow|
	// Metric, Arm and Base (the metric's mean with every parameter at
	// its mean) are optional columns, read when present: "" and NaN
	// when absent (a file of an older version). WriteTornado writes them
	// when a row names its metric, as the tornado analysis does.
	Metric, Arm string
	Base        float64
}

// WriteTornado writes tornado.csv: parameter, low_value, high_value,
// metric_at_low, metric_at_high, swing; one row per bar, in the order
// given (largest swing first, as the analysis sorts them).
func WriteTornado(w io.Writer, rows []TornadoRow) error {
	// The optional columns when the rows name their metric: the report
	// then draws the bars from Base.
	extra := slices.ContainsFunc(rows, func(r TornadoRow) bool { return r.Metric != "" })
	header := tornadoHeader
	if extra {
		header = append(slices.Clone(header), tornadoOptional...)
	}
	return writeCSV(w, header, func(emit func([]string) error) error {
		for _, b := range rows {
			rec := []string{b.Parameter, num(b.LowValue), num(b.HighValue), num(b.MetricAtLow), num(b.MetricAtHigh), num(b.Swing)}
			if extra {
				rec = append(rec, b.Metric, b.Arm, num(b.Base))
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
		return nil
	})
}

// tornadoOptional are tornado.csv's optional columns, in order.
var tornadoOptional = []string{"metric", "arm", "base"}

func (f *Folder) tornadoRow(r csvRow) error {
	t := TornadoRow{Parameter: r.str("parameter"), Metric: r.str(tornadoOptional[0]), Arm: r.str(tornadoOptional[1])}
	if err := r.nums(tornadoHeader[1:], &t.LowValue, &t.HighValue, &t.MetricAtLow, &t.MetricAtHigh, &t.Swing); err != nil {
		return err
	}
	t.Base = math.NaN()
	if r.has(tornadoOptional[2]) {
		v, err := r.num(tornadoOptional[2])
		if err != nil {
			return err
		}
		t.Base = v
	}
	f.Tornado = append(f.Tornado, t)
	return nil
}
