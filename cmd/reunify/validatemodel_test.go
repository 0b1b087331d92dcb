//go:build unix

package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestValidateModelRoles runs validate-model (a built binary, at full
// speed under the race detector): validation.csv has a role column, the
// command exits 0 while only predicted rows fail (findings, reported),
// and 1 with --strict.
func TestValidateModelRoles(t *testing.T) {
	bin := buildReunify(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "v")
	stdout, stderr, code := hostileRun(t, bin, 5*time.Minute, "validate-model", "--iterations", "2", "--workers", "2", "--quiet", "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	f, err := os.Open(filepath.Join(out, "validation.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][1] != "role" {
		t.Fatalf("validation.csv header %v: want role second", recs[0])
	}
	roles := map[string]int{}
	failedPredicted := 0
	for _, r := range recs[1:] {
		roles[r[1]]++
		if r[1] == "predicted" && r[len(r)-1] == "false" {
			failedPredicted++
		}
	}
	if roles["predicted"] < 3 || roles["calibrated"] == 0 || len(roles) != 2 {
		t.Errorf("roles %v: want calibrated and at least 3 predicted rows", roles)
	}
	if failedPredicted == 0 {
		t.Skip("every predicted row passes: --strict has nothing to refuse")
	}
	_, stderr, code = hostileRun(t, bin, 5*time.Minute, "validate-model", "--iterations", "2", "--workers", "2", "--quiet", "--strict", "--force", "--out", out)
	if code != 1 || !strings.Contains(stderr, "--strict: ") || !strings.Contains(stderr, "predicted figures are not reproduced") {
		t.Errorf("--strict with failing predicted rows: exit %d: %s", code, stderr)
	}
}
