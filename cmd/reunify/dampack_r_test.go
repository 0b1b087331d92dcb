package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dampackCheck is R that reads a result folder's dampack tables as the
// docs say (read.csv, defaults) and checks what make_psa_obj needs: every
// column numeric (a column of NA would be logical), the same rows in
// every table, cost and effect one column per strategy. With mgcv (the
// regression dampack's calc_evppi uses), it also fits the net benefit
// difference at each value on a cubic regression spline with shrinkage
// of each listed parameter, its smoothness chosen by REML, as reunify
// chooses it, and prints mgcv's EVPPI beside voi.csv's.
const dampackCheck = `
cost <- read.csv("dampack_cost.csv"); effect <- read.csv("dampack_effectiveness.csv")
params <- read.csv("dampack_parameters.csv")
stopifnot(all(sapply(cost, is.numeric)), all(sapply(effect, is.numeric)), all(sapply(params, is.numeric)))
stopifnot(nrow(cost) == nrow(effect), nrow(cost) == nrow(params), ncol(cost) == ncol(effect), all(effect[[1]] == 0))
cat("ok", nrow(cost), ncol(cost), ncol(params), "\n")
if (requireNamespace("mgcv", quietly = TRUE)) {
  voi <- read.csv("voi.csv")
  for (p in c("package.post_return_support.post.hr_reentry", "home.reentry.cumulative.1")) {
    for (wtp in c(0, 50000)) {
      d <- (effect[, 2] * wtp - cost[, 2]) - (effect[, 1] * wtp - cost[, 1])
      x <- params[[make.names(p)]]
      f <- fitted(mgcv::gam(d ~ s(x, bs = "cs"), method = "REML"))
      naive <- mean(pmax(0, d)) - max(0, mean(d))
      ours <- voi$evpi[voi$value_per_reentry_averted == wtp & voi$parameter == paste0("param.", p)]
      cat("evppi", p, wtp, mean(pmax(0, f)) - max(0, mean(f)), ours, naive, "\n")
    }
  }
}
`

// TestDampackTablesInR reads the tables with R, when R is installed, and
// compares voi.csv with mgcv's fit where mgcv is: each EVPPI within a
// fifth of the naive EVPI of mgcv's (the two choose their smoothness
// differently, and reunify fits re-entries and costs apart; at a value of
// 0 they agree to a few per cent).
func TestDampackTablesInR(t *testing.T) {
	rscript, err := exec.LookPath("Rscript")
	if err != nil {
		t.Skip("Rscript is not installed")
	}
	out := filepath.Join(t.TempDir(), "out")
	if _, stderr, code := reunify(t, "run", "--quiet", "--iterations", "300", "--seed", "7", "--out", out, "../../scenarios/local-authority.toml"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	script := filepath.Join(t.TempDir(), "check.R")
	if err := os.WriteFile(script, []byte(dampackCheck), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(rscript, "--vanilla", script)
	cmd.Dir = out
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("R: %v\n%s", err, b)
	}
	lines := strings.Split(string(b), "\n")
	if !strings.HasPrefix(lines[0], "ok 300 2 ") {
		t.Errorf("R read %q, want 300 rows and 2 strategies", lines[0])
	}
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) != 6 || f[0] != "evppi" {
			continue
		}
		mgcv, ours, naive := atof(t, f[3]), atof(t, f[4]), atof(t, f[5])
		t.Logf("%s at %s: mgcv %.0f, voi.csv %.0f, naive %.0f", f[1], f[2], mgcv, ours, naive)
		if d := ours - mgcv; d > naive/5 || -d > naive/5 {
			t.Errorf("%s at %s: voi.csv %.0f, mgcv %.0f (naive EVPI %.0f)", f[1], f[2], ours, mgcv, naive)
		}
	}
}
