package limits

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/reunify/reunify/internal/numfmt"
	"github.com/reunify/reunify/sim"
)

const (
	// childArmsPerCoreSecond is a fast engine's speed: children simulated
	// through one arm per second on one core. Estimates use it so that they
	// never overstate the time (this machine may be slower: "at least").
	childArmsPerCoreSecond = 4e6
	maxHours               = 24
	// memoryShare is the share of the machine's memory a run may plan to
	// use; defaultMemory is assumed when the machine's is unknown.
	memoryShare   = 0.8
	defaultMemory = 16 << 30
)

// Work is what a command is about to simulate.
type Work struct {
	Model      *sim.Model
	Params     int // parameters drawn per iteration
	Iterations int // iterations this process runs (a shard's share), over all runs
	Runs       int // simulation runs of an analysis (tornado, sweep...); 0 means 1
	Workers    int
	Out        string // where the results go
	Events     string // the event log's path; "" for none
}

// Machine is what the work is measured against.
type Machine struct {
	Cores int
	// Memory is the machine's memory in bytes, and whether it is known
	// (when not, 16 GB is assumed).
	Memory      float64
	MemoryKnown bool
	// Free is the space free to the user on the file system holding
	// dir, if known.
	Free func(dir string) (uint64, bool)
}

// Local is this machine: its cores, its memory (from /proc/meminfo
// where there is one) and its disks' free space.
func Local() Machine {
	mem, known := machineMemory()
	return Machine{Cores: runtime.NumCPU(), Memory: mem, MemoryKnown: known, Free: freeBytes}
}

// CheckLocal refuses w beyond the limits of this machine (Local().Check),
// unless allow (the command's --allow-large).
func CheckLocal(allow bool, what string, w Work) error {
	if allow {
		return nil
	}
	return Local().Check(what, w)
}

// Estimate is what a run of one scenario will need.
type Estimate struct {
	Children    float64 // children an iteration (stock, cohort, expected entries)
	Arms        int
	Cores       int // cores the run will keep busy
	ChildArms   float64
	Hours       float64 // wall time at childArmsPerCoreSecond
	Memory      float64 // bytes: per-iteration results (and event buffers)
	ResultBytes float64 // bytes of the result folder (iterations.csv dominates)
	EventBytes  float64 // bytes of the event log, if asked for
}

// Estimate estimates w on the machine, with the engine's own sizes
// (sim.ExpectedChildren, sim.MemoryEstimate, sim.EventLogBytes).
func (mc Machine) Estimate(w Work) Estimate {
	m := w.Model
	e := Estimate{Children: sim.ExpectedChildren(m), Arms: len(m.Arms)}
	e.Cores = max(1, min(w.Workers, mc.Cores, w.Iterations))
	e.ChildArms = e.Children * float64(w.Iterations) * float64(e.Arms)
	e.Hours = e.ChildArms / (childArmsPerCoreSecond * float64(e.Cores)) / 3600
	e.Memory = sim.MemoryEstimate(m, w.Params, w.Iterations, w.Workers, w.Events != "")
	// iterations.csv, then the dampack tables (cost and effect by arm,
	// the parameters) at 12 digits.
	e.ResultBytes = float64(w.Iterations) * (float64(e.Arms)*(float64(len(sim.MetricNames(m)))+float64(w.Params))*12 + 64 +
		float64(2*e.Arms+w.Params)*13)
	if w.Events != "" {
		e.EventBytes = sim.EventLogBytes(m, w.Iterations)
	}
	return e
}

// TooLarge is work beyond the limits: bad input (exit status 2), whose
// message gives the estimate and what to do.
type TooLarge struct{ msg string }

func (e *TooLarge) Error() string { return e.msg }

// BadInput reports that the request, not the program, is at fault.
func (e *TooLarge) BadInput() bool { return true }

// Check refuses w, described to the user as what ("this tornado", a
// scenario's path), if it is beyond the limits on this machine, with a
// *TooLarge error.
func (mc Machine) Check(what string, w Work) error {
	e := mc.Estimate(w)
	memLimit := mc.Memory
	if !mc.MemoryKnown || memLimit <= 0 {
		memLimit = defaultMemory
	}
	memLimit *= memoryShare
	var over []string
	if e.Hours > maxHours {
		over = append(over, fmt.Sprintf("at least %s hours on this machine's %d cores (the limit is %d hours)", round(e.Hours), e.Cores, maxHours))
	}
	if e.Memory > memLimit {
		have := "this machine's memory is unknown; the limit is 16 GB"
		if mc.MemoryKnown {
			have = fmt.Sprintf("this machine has %s", gb(memLimit/memoryShare))
		}
		over = append(over, fmt.Sprintf("about %s of memory (%s)", gb(e.Memory), have))
	}
	disk, diskFit := mc.diskNeeds(w.Out, e.ResultBytes, w.Events, e.EventBytes)
	over = append(over, disk...)
	if len(over) == 0 {
		return nil
	}
	runs := max(w.Runs, 1)
	perRun := fmt.Sprintf("%s iterations", round(float64(w.Iterations/runs)))
	if w.Iterations/runs == 1 {
		perRun = "1 iteration"
	}
	if runs > 1 {
		perRun += fmt.Sprintf(" x %d runs", runs)
	}
	msg := fmt.Sprintf("%s is too large to run as asked: %s children an iteration x %s x %d arms = %s child-simulations, which needs %s.",
		what, round(e.Children), perRun, e.Arms, round(e.ChildArms), strings.Join(over, ", and "))
	// What fits: the iterations within every limit.
	fit := float64(w.Iterations)
	if e.Hours > maxHours {
		fit = math.Min(fit, float64(w.Iterations)*maxHours/e.Hours)
	}
	if e.Memory > memLimit {
		fit = math.Min(fit, float64(w.Iterations)*memLimit/e.Memory)
	}
	fit = math.Min(fit, float64(w.Iterations)*diskFit)
	fit /= float64(runs) // --iterations is per run
	if n := niceFloor(fit); n >= 10 && n < w.Iterations/runs {
		msg += fmt.Sprintf(" Reduce --iterations (%s would fit),", round(float64(n)))
	} else {
		msg += " Reduce --iterations,"
	}
	msg += " or the scenario's counts, entries or horizon_years (a --set override will do)"
	if runs == 1 {
		msg += ", split the run across machines with --shard K/N"
	}
	if w.Events != "" {
		msg += ", drop --events"
		if w.Workers > 1 && e.Memory > memLimit {
			msg += " or give --workers 1 (the event log then holds one iteration in memory)"
		}
	}
	msg += ", or add --allow-large to run it anyway."
	return &TooLarge{msg}
}

// diskNeeds reports the files that will not fit in the free space of
// their file system, where that is known, and the share of the run that
// would fit (1 if all of it).
func (mc Machine) diskNeeds(out string, outBytes float64, events string, eventBytes float64) (msgs []string, fit float64) {
	fit = 1
	if mc.Free == nil {
		return nil, fit
	}
	need := map[string]float64{}
	var order []string
	add := func(path string, b float64) {
		dir := existingDir(path)
		if _, ok := need[dir]; !ok {
			order = append(order, dir)
		}
		need[dir] += b
	}
	add(out, outBytes)
	if events != "" {
		add(events, eventBytes)
	}
	for _, dir := range order {
		free, ok := mc.Free(dir)
		if ok && need[dir] > float64(free) {
			fit = math.Min(fit, float64(free)/need[dir])
			what := "the results"
			if events != "" {
				what = "the results and the event log"
			}
			msgs = append(msgs, fmt.Sprintf("about %s of disk for %s where %s has %s free", gb(need[dir]), what, dir, gb(float64(free))))
		}
	}
	return msgs, fit
}

// existingDir is the nearest existing folder at or above the parent of
// path: where a file at path will take space.
func existingDir(path string) string {
	dir := filepath.Dir(filepath.Clean(path))
	for {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}

// machineMemory is the machine's memory in bytes, from /proc/meminfo; on
// other systems it is unknown.
func machineMemory() (float64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemTotal:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err == nil && kb > 0 {
				return kb * 1024, true
			}
		}
	}
	return 0, false
}

// gb writes a size in bytes with its unit, from "12 bytes" to "3.4 GB"
// (never "0.0 GB" for a small size).
func gb(b float64) string {
	switch {
	case b >= 1<<30:
		return strconv.FormatFloat(b/(1<<30), 'f', 1, 64) + " GB"
	case b >= 1<<20:
		return strconv.FormatFloat(b/(1<<20), 'f', 1, 64) + " MB"
	case b >= 1<<10:
		return strconv.FormatFloat(b/(1<<10), 'f', 1, 64) + " kB"
	}
	return strconv.FormatFloat(math.Round(b), 'f', 0, 64) + " bytes"
}

// round writes a large number with a few significant figures: 1200000000
// as "1,200,000,000".
func round(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || x >= 1e18 {
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	if x < 10 && x != math.Trunc(x) {
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	return numfmt.Thousands(x)
}

// niceFloor rounds x down to two significant figures: 5015180 to 5000000.
func niceFloor(x float64) int {
	if x < 100 {
		return int(x)
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-1)
	return int(math.Floor(x/p) * p)
}
