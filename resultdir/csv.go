package resultdir

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/reunify/reunify/internal/safefile"
)

// writeCSV writes a header and rows as CSV.
func writeCSV(w io.Writer, header []string, rows func(emit func([]string) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	if err := rows(cw.Write); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// The headers of the CSV files, as written and as read back
// (summaryHeader after any leading columns): each column's name, here
// and nowhere else. Readers find columns by name, so files may gain
// columns; none is ever renamed.
var (
	summaryHeader       = []string{"arm", "metric", "mean", "sd", "mcse", "p2_5", "p5", "p25", "p50", "p75", "p95", "p97_5"}
	comparisonHeader    = []string{"arm", "baseline", "metric", "mean", "sd", "p2_5", "p50", "p97_5", "prob_positive"}
	yearlyHeader        = []string{"arm", "year", "metric", "mean", "p2_5", "p50", "p97_5"}
	survivalHeader      = []string{"arm", "month", "at_risk", "cum_reentry", "cum_reentry_p2_5", "cum_reentry_p97_5"}
	acceptabilityHeader = []string{"arm", "baseline", "value_per_reentry_averted", "prob_worth_it"}
	tornadoHeader       = []string{"parameter", "low_value", "high_value", "metric_at_low", "metric_at_high", "swing"}
	voiHeader           = []string{"value_per_reentry_averted", "parameter", "evpi"}
	frontierHeader      = []string{"value_per_reentry_averted", "arm", "prob_best", "on_frontier"}
	expectedLossHeader  = []string{"value_per_reentry_averted", "arm", "expected_loss", "on_frontier"}
)

// num formats a number for a CSV file: the shortest decimal that reads
// back as v, never in exponent notation (1e-7 is 0.0000001, 1e9 is
// 1000000000), NA for NaN, Inf and -Inf for infinities. Negative zero is
// written as 0. Every number in every CSV file goes through num.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NA"
	case math.IsInf(v, 1):
		return "Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case v == 0:
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// FormatNumber formats a number as every CSV file of a result folder does:
// plain decimal, never exponent notation, NA for NaN.
func FormatNumber(v float64) string { return num(v) }

// FormatSignificant formats a number as FormatNumber does after rounding
// it to digits significant digits (1 to 17): 1165810.4 to 6 digits is
// 1165810, never 1.16581e+06, and the noise of summing many doubles
// (25.331999999999972) does not show at 12. Terminal tables and the
// dampack tables use it.
func FormatSignificant(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return num(v)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', max(1, min(digits, 17)), 64), 64)
	return num(r)
}

// csvRow is a row of a CSV file with its header, for reading columns by
// name (files may gain columns; none is renamed).
type csvRow struct {
	file string
	line int
	col  map[string]int
	rec  []string
}

func (r csvRow) has(name string) bool { _, ok := r.col[name]; return ok }

func (r csvRow) str(name string) string {
	if i, ok := r.col[name]; ok && i < len(r.rec) {
		return r.rec[i]
	}
	return ""
}

// num reads a number as the CSV files write it: a decimal, NA, Inf or
// -Inf (strconv.ParseFloat reads the last two).
func (r csvRow) num(name string) (float64, error) {
	s := r.str(name)
	switch s {
	case "NA", "":
		return math.NaN(), nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("report: %s:%d: column %s: %q is not a number", r.file, r.line, name, s)
	}
	if !math.IsInf(v, 0) && math.Abs(v) > MaxReportable {
		return math.NaN(), nil // shown as not available, never drawn
	}
	return v, nil
}

// MaxReportable is the largest magnitude the report shows or draws: a
// finite number beyond it (no count or sum of money reunify computes
// comes near) is taken as not available. Charts of numbers near the
// largest floats cannot be drawn (their axes overflow).
const MaxReportable = 1e15

// Bounds on the whole numbers of yearly.csv and survival.csv (a horizon
// is at most 100 years).
const (
	maxYear  = 1000
	maxMonth = 12 * maxYear
)

// nums reads several number columns into the pointers.
func (r csvRow) nums(names []string, dst ...*float64) error {
	for i, n := range names {
		v, err := r.num(n)
		if err != nil {
			return err
		}
		*dst[i] = v
	}
	return nil
}

// readCSV calls row for every row of the CSV file path, after checking
// that its header has the columns want. A missing optional file is not an
// error.
func readCSV(path string, optional bool, want []string, row func(csvRow) error) error {
	fh, err := safefile.OpenRegular(path)
	if optional && errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer fh.Close()
	cr := csv.NewReader(&lineLimit{r: fh, max: maxLine})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("report: %s: reading the header: %w", path, err)
	}
	r := csvRow{file: path, line: 1, col: make(map[string]int, len(header))}
	for i, h := range header {
		r.col[h] = i
	}
	var missing []string
	for _, w := range want {
		if !r.has(w) {
			missing = append(missing, w)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("report: %s lacks the column(s) %s", path, strings.Join(missing, ", "))
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("report: %s: %w", path, err)
		}
		r.line++
		r.rec = rec
		if err := row(r); err != nil {
			return err
		}
	}
}

// lineLimit fails a read once a line grows beyond max bytes: a file with
// no line ends (zeros, a binary file) is refused, not read into memory.
type lineLimit struct {
	r   io.Reader
	max int
	n   int // bytes since the last newline
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.n = 0
			continue
		}
		if l.n++; l.n > l.max {
			return 0, fmt.Errorf("a line is longer than %d bytes: is this a file reunify wrote?", l.max)
		}
	}
	return n, err
}
