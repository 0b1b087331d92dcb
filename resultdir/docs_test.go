package resultdir

import (
	"os"
	"strings"
	"testing"

	"github.com/reunify/reunify/scenario"
	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/summary"
)

// TestOutputsDocStatesTheHeaders: docs/outputs.md, the contract users
// read, gives every CSV file of a result folder with exactly the columns
// written, in order.
func TestOutputsDocStatesTheHeaders(t *testing.T) {
	b, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) == 3 && strings.HasPrefix(strings.TrimSpace(cells[0]), "`") {
			rows[strings.Trim(cells[0], " `")] = strings.TrimSpace(cells[2])
		}
	}
	for file, header := range map[string][]string{
		SummaryFile: summaryHeader, YearlyFile: yearlyHeader, ComparisonFile: comparisonHeader,
		SurvivalFile: survivalHeader, AcceptabilityFile: acceptabilityHeader,
		VOIFile: voiHeader, FrontierFile: frontierHeader, ExpectedLossFile: expectedLossHeader,
	} {
		doc, ok := rows[file]
		if !ok {
			t.Errorf("docs/outputs.md has no row for %s", file)
			continue
		}
		if want := strings.Join(header, ", "); !strings.HasPrefix(doc, want) || strings.HasPrefix(strings.TrimPrefix(doc, want), ",") {
			t.Errorf("docs/outputs.md gives %s the columns %q; it has %q", file, doc, want)
		}
	}
	for _, file := range []string{IterationsFile, ManifestFile, ScenarioFile, DampackCostFile + "`, `" + DampackEffectFile + "`, `" + DampackParamsFile} {
		if _, ok := rows[file]; !ok {
			t.Errorf("docs/outputs.md has no row for %s", file)
		}
	}
}

// TestOutputsDocListsTheMetrics: docs/outputs.md's tables of metrics are
// the engine's metric table and summary's comparison metrics, no more
// and no fewer ("reentry_rate_3m, _12m" names two; "child_months_<placement>"
// one per placement type).
func TestOutputsDocListsTheMetrics(t *testing.T) {
	b, err := os.ReadFile("../docs/outputs.md")
	if err != nil {
		t.Fatal(err)
	}
	table := func(heading string) (names, prefixes []string) {
		_, rest, _ := strings.Cut(string(b), heading)
		_, rest, _ = strings.Cut(rest, "|---|---|\n")
		for _, line := range strings.Split(rest, "\n") {
			if !strings.HasPrefix(line, "| ") {
				break
			}
			first := ""
			for _, n := range strings.Split(strings.Split(line, " | ")[0][2:], ", ") {
				n = strings.ReplaceAll(n, `\`, "")
				switch {
				case strings.HasPrefix(n, "_"):
					n = first[:strings.LastIndex(first, "_")] + n
				case first == "":
					first = n
				}
				if p, ok := strings.CutSuffix(n, "<placement>"); ok {
					prefixes = append(prefixes, p)
					continue
				}
				if p, ok := strings.CutSuffix(n, "<metric>"); ok {
					prefixes = append(prefixes, p)
					continue
				}
				names = append(names, n)
			}
		}
		return names, prefixes
	}
	check := func(what string, docNames, prefixes, have []string) {
		documented := map[string]bool{}
		for _, n := range docNames {
			documented[n] = true
		}
		for _, h := range have {
			ok := documented[h]
			for _, p := range prefixes {
				ok = ok || strings.HasPrefix(h, p)
			}
			if !ok {
				t.Errorf("docs/outputs.md's %s do not list %s", what, h)
			}
			delete(documented, h)
		}
		for n := range documented {
			t.Errorf("docs/outputs.md's %s list %s, which reunify does not write", what, n)
		}
	}
	sc, err := scenario.Open("../scenarios/local-authority.toml", nil)
	if err != nil {
		t.Fatal(err)
	}
	names, prefixes := table("## Per-iteration metrics")
	check("per-iteration metrics", names, prefixes, sim.MetricNames(sc.Model))
	names, prefixes = table("## Comparison metrics")
	check("comparison metrics", names, prefixes, []string{summary.ReentriesAverted, summary.IncrementalCost, summary.NetSaving,
		summary.ROI, summary.CostPerReentryAverted, summary.ProbCostSaving, summary.DiffPrefix + sim.MReentries})
}
