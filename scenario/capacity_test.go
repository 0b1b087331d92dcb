package scenario

import (
	"os"
	"strings"
	"testing"
)

func withPackageCapacity(t *testing.T, capacity string) []byte {
	t.Helper()
	data, err := os.ReadFile("../scenarios/local-authority.toml")
	if err != nil {
		t.Fatal(err)
	}
	const pkg = "[[package]]\nname = \"post_return_support\"\n"
	if !strings.Contains(string(data), pkg) {
		t.Fatalf("local-authority.toml has no %q", pkg)
	}
	s := strings.Replace(string(data), pkg, pkg+capacity+"\n", 1)
	return []byte(s)
}

func TestCapacity(t *testing.T) {
	for _, tc := range []struct {
		capacity string
		places   int
		wait     bool
		byTier   bool
		start    float64
		problem  string // a problem's key, or "" for none
	}{
		{capacity: `capacity = { places = 12 }`, places: 12, wait: true},
		{capacity: `capacity = { team = 3, caseload = 5, when_full = "go_without", queue = "highest_tier", start_month = 6 }`, places: 15, byTier: true, start: 6},
		{capacity: `capacity = { places = 0 }`, places: 0, wait: true},
		{capacity: `capacity = { places = 3, team = 2, caseload = 2 }`, problem: "capacity.places"},
		{capacity: `capacity = { team = 2 }`, problem: "package.0.capacity"},
		{capacity: `capacity = { places = -1 }`, problem: "capacity.places"},
		{capacity: `capacity = { places = 4, when_full = "queue" }`, problem: "capacity.when_full"},
		{capacity: `capacity = { places = 4, queue = "random" }`, problem: "capacity.queue"},
		{capacity: `capacity = { places = 4, start_month = -2 }`, problem: "capacity.start_month"},
		{capacity: `capacity = { places = 4, plaecs = 3 }`, problem: "capacity.plaecs"},
	} {
		sc, err := LoadBytes("la.toml", withPackageCapacity(t, tc.capacity), nil)
		if tc.problem != "" {
			ps, ok := AsProblems(err)
			found := false
			for _, p := range ps {
				if strings.HasSuffix(p.Key, tc.problem) && p.Line > 0 {
					found = true
				}
			}
			if !ok || !found {
				t.Errorf("%s: want a located problem at %s, got %v", tc.capacity, tc.problem, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.capacity, err)
			continue
		}
		m, _, err := sc.Build()
		if err != nil {
			t.Fatal(err)
		}
		c := m.Packages[0].Capacity
		if !c.Limited || c.Places != tc.places || c.Wait != tc.wait || c.ByTier != tc.byTier || c.StartMonth != tc.start {
			t.Errorf("%s: built %+v", tc.capacity, c)
		}
		// The resolved scenario keeps the capacity.
		again, err := LoadBytes("resolved.toml", sc.Resolved(), nil)
		if err != nil {
			t.Fatalf("%s: resolved: %v", tc.capacity, err)
		}
		m2, _, _ := again.Build()
		if m2.Packages[0].Capacity != c {
			t.Errorf("%s: resolved capacity %+v, want %+v", tc.capacity, m2.Packages[0].Capacity, c)
		}
	}
}

func TestSetCapacity(t *testing.T) {
	sc, err := LoadBytes("la.toml", withPackageCapacity(t, `capacity = { places = 12 }`), []string{"package.post_return_support.capacity.places=3"})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := sc.Build()
	if got := m.Packages[0].Capacity.Places; got != 3 {
		t.Errorf("places %d after --set, want 3", got)
	}
	// A package without capacity gains one from --set.
	sc, err = Load("../scenarios/local-authority.toml", []string{"package.post_return_support.capacity.places=5"})
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ = sc.Build()
	if c := m.Packages[0].Capacity; !c.Limited || c.Places != 5 || !c.Wait {
		t.Errorf("capacity from --set: %+v", c)
	}
}
