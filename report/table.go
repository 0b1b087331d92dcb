package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/reunify/reunify/internal/numfmt"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// WriteTable writes a short table for a person at a terminal: for every
// arm, the mean and 95% interval (2.5th to 97.5th percentile across
// iterations) of returns home, re-entries, re-entry within 12 and 60
// months and the total discounted cost; then, for every policy arm, the
// net saving against the baseline with its 95% interval and the
// probability that the policy saves money, each with its Monte Carlo
// standard error; then what the intervals include (chance alone when no
// parameter is uncertain: summary.Uncertain). Money is shown as people
// read it (£1.23m, never in exponent notation), rates as percentages.
// Rows whose metric the results lack are left out. The files written by
// Write are the precise record.
func WriteTable(w io.Writer, res *sim.Results) error {
	if err := summary.Check(res); err != nil {
		return err
	}
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	rows := []struct {
		label, metric string
		format        func(float64) string
	}{
		{"returns home", sim.MReturnsHome, count},
		{"re-entries", sim.MReentries, count},
		{"re-entry within 12 months", sim.MReentryRate12, percent},
		{"re-entry within 60 months", sim.MReentryRate60, percent},
		{"total cost (discounted)", sim.MCostTotalDiscounted, money},
	}
	intervals := map[string]func(summary.Stats) string{sim.MCostTotalDiscounted: moneyInterval}
	n := len(res.Iterations)
	undefined := false
	fmt.Fprintf(tw, "%d iterations\tmean\t95%% interval\tMonte Carlo SE\n", n)
	for a, arm := range res.Arms {
		fmt.Fprintf(tw, "%s\t\t\n", arm)
		for _, r := range rows {
			xs := res.Column(a, r.metric)
			if xs == nil {
				continue
			}
			s := summary.Summarize(xs)
			iv := intervals[r.metric]
			if iv == nil {
				iv = func(s summary.Stats) string { return interval(s, r.format) }
			}
			mean := r.format(s.Mean)
			if math.IsNaN(s.Mean) {
				mean += "*"
				undefined = true
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.label, mean, iv(s))
		}
	}
	for a := 1; a < len(res.Arms); a++ {
		saving, err := summary.NetSavings(res, a)
		if err != nil {
			break // the comparison needs metrics these results lack
		}
		s := summary.Summarize(saving)
		p := summary.ProbPositive(saving)
		fmt.Fprintf(tw, "%s against %s\t\t\n", res.Arms[a], res.Arms[0])
		fmt.Fprintf(tw, "  net saving\t%s\t%s\t%s\n", money(s.Mean), moneyInterval(s), money(s.MCSE))
		fmt.Fprintf(tw, "  probability it saves money\t%s\t\t%s points\n", percent0(p), fixed(100*summary.ProportionSE(p, s.N), 1))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if summary.Uncertain(res) {
		params := "the " + strconv.Itoa(len(res.ParamNames)) + " uncertain parameters"
		if len(res.ParamNames) == 1 {
			params = "the one uncertain parameter"
		}
		fmt.Fprintf(&buf, "95%% intervals: the uncertainty in %s (drawn anew in each iteration) and chance together.\n", params)
	} else {
		fmt.Fprintln(&buf, "95% intervals: chance alone (which children are simulated and what happens to them); no parameter is uncertain.")
	}
	fmt.Fprintln(&buf, "Monte Carlo SE: how far the figure could move with another seed; more iterations shrink it.")
	if undefined {
		fmt.Fprintf(&buf, "* n/a: no return could be followed that long within the %d-month horizon (or there were no returns)\n", res.SurvivalMonths)
	}
	// tabwriter pads the empty cells of heading lines; trim that.
	var out bytes.Buffer
	for line := range strings.Lines(buf.String()) {
		out.WriteString(strings.TrimRight(line, " \n"))
		out.WriteByte('\n')
	}
	_, err := w.Write(out.Bytes())
	return err
}

// interval formats a 95% interval.
func interval(s summary.Stats, f func(float64) string) string {
	if math.IsNaN(s.P2_5) {
		return ""
	}
	return f(s.P2_5) + " to " + f(s.P97_5)
}

// moneyInterval formats a 95% interval of money with both ends in the
// same unit, the one of the larger end: "-£0.4m to £3.4m", not
// "-£400,000 to £3.4m".
func moneyInterval(s summary.Stats) string {
	lo, hi := s.P2_5, s.P97_5
	if math.IsNaN(lo) {
		return ""
	}
	big := math.Max(math.Abs(lo), math.Abs(hi))
	if math.IsInf(big, 0) || big < 999.5e3 {
		return money(lo) + " to " + money(hi)
	}
	size, unit := 1e6, "m"
	if big >= 999.5e6 {
		size, unit = 1e9, "bn"
	}
	// Three significant figures for the larger end, as many decimals for
	// the smaller.
	d := max(0, 2-int(math.Floor(math.Log10(big/size))))
	f := func(v float64) string {
		s := strconv.FormatFloat(math.Abs(v)/size, 'f', d, 64)
		frac := ""
		if i := strings.IndexByte(s, '.'); i >= 0 {
			s, frac = s[:i], strings.TrimRight(strings.TrimRight(s[i:], "0"), ".")
		}
		whole, _ := strconv.ParseFloat(s, 64)
		s = thousands(whole) + frac // grouped as money's: £96,279bn, not £96279bn
		sign := ""
		if v < 0 && s != "0" {
			sign = "-"
		}
		return sign + "£" + s + unit
	}
	return f(lo) + " to " + f(hi)
}

// count formats a mean count: whole numbers with thousands separators
// from 100 up, one decimal below.
func count(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.Abs(v) >= 100:
		return thousands(v)
	}
	return fixed(v, 1)
}

// fixed formats v with prec decimals, never as a negative zero: -0.04
// to one decimal is "0.0", not "-0.0". Every fixed-point number of the
// report is written through it.
func fixed(v float64, prec int) string {
	s := strconv.FormatFloat(v, 'f', prec, 64)
	if strings.HasPrefix(s, "-") && strings.Trim(s, "-0.") == "" {
		return s[1:]
	}
	return s
}

// percent formats a proportion as a percentage with one decimal.
func percent(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fixed(100*v, 1) + "%"
}

// percent0 formats a probability as a whole percentage.
func percent0(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fixed(100*v, 0) + "%"
}

// money formats pounds for a person: £1.23bn, £1.23m, £12,345, £123, with
// a leading minus sign for losses. Millions and billions get three
// significant figures.
func money(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "£∞"
	case math.IsInf(v, -1):
		return "-£∞"
	}
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	if v < 0.5 {
		sign = "" // rounds to £0: never "-£0"
	}
	switch {
	case v >= 999.5e9:
		return sign + "£" + thousands(v/1e9) + "bn"
	case v >= 999.5e6: // rounds to at least £1,000m: show billions
		return sign + "£" + strconv.FormatFloat(v/1e9, 'g', 3, 64) + "bn"
	case v >= 999.5e3:
		return sign + "£" + strconv.FormatFloat(v/1e6, 'g', 3, 64) + "m"
	}
	return sign + "£" + thousands(v)
}

// thousands formats v rounded to a whole number with comma separators.
func thousands(v float64) string { return numfmt.Thousands(v) }
