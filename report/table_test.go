package report

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/reunify/reunify/sim"

	"github.com/reunify/reunify/internal/resultstest"
	"github.com/reunify/reunify/summary"
)

func TestWriteTable(t *testing.T) {
	res := resultstest.Tiny()
	for i, c := range []float64{41.2e6, 39.8e6, 42.7e6} {
		res.Outcomes[0][i].Metrics[5] = c
		res.Outcomes[1][i].Metrics[5] = c - 1.5e6 + float64(i-1)*2e6
	}
	var b bytes.Buffer
	if err := WriteTable(&b, res); err != nil {
		t.Fatal(err)
	}
	resultstest.Golden(t, "table.txt", b.Bytes())
}

func TestMoney(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "£0"},
		{123.4, "£123"},
		{999.6, "£1,000"},
		{12345, "£12,345"},
		{-987654, "-£987,654"},
		{999600, "£1m"},
		{1234567, "£1.23m"},
		{-2.5e6, "-£2.5m"},
		{41.26e6, "£41.3m"},
		{999.4e6, "£999m"},
		{999.6e6, "£1bn"},
		{1.5e9, "£1.5bn"},
		{2.5e12, "£2,500bn"},
		{math.NaN(), "n/a"},
		{math.Inf(-1), "-£∞"},
	}
	for _, tt := range tests {
		if got := money(tt.v); got != tt.want {
			t.Errorf("money(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestMoneyInterval(t *testing.T) {
	tests := []struct {
		lo, hi float64
		want   string
	}{
		{-400000, 3.4e6, "-£0.4m to £3.4m"},
		{39.86e6, 42.64e6, "£39.9m to £42.6m"},
		{1234, 250e6, "£0m to £250m"},
		{-2e9, 15e9, "-£2bn to £15bn"},
		{100, 20000, "£100 to £20,000"},
		{math.NaN(), math.NaN(), ""},
	}
	for _, tt := range tests {
		if got := moneyInterval(summary.Stats{P2_5: tt.lo, P97_5: tt.hi}); got != tt.want {
			t.Errorf("moneyInterval(%v, %v) = %q, want %q", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestWriteTableExplainsUndefinedRates(t *testing.T) {
	res := resultstest.Tiny()
	k := res.Metric(sim.MReentryRate60)
	for a := range res.Outcomes {
		for i := range res.Outcomes[a] {
			res.Outcomes[a][i].Metrics[k] = math.NaN() // a horizon too short for 60 months
		}
	}
	var b bytes.Buffer
	if err := WriteTable(&b, res); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "n/a*") || !strings.Contains(out, "* n/a: no return could be followed that long within the 2-month horizon") {
		t.Errorf("no explanation of n/a:\n%s", out)
	}
	// Defined rates get no footnote.
	b.Reset()
	WriteTable(&b, resultstest.Tiny())
	if strings.Contains(b.String(), "* n/a") {
		t.Errorf("a footnote without an undefined value:\n%s", b.String())
	}
}
