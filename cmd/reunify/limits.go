package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
)

// Limits on the work a simulating command starts without --allow-large.
// They refuse only the absurd (a typo adding three zeros): a national
// scenario at 10,000 iterations is well inside them.
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

// limitFlags is the flag that lifts the limits.
type limitFlags struct{ allowLarge bool }

func (l *limitFlags) register(fl *flag.FlagSet) {
	fl.BoolVar(&l.allowLarge, "allow-large", false, "run even if the estimated time, memory or disk space is beyond the limits (see reunify help run)")
}

// estimate is what a run of one scenario will need.
type estimate struct {
	children    float64 // children an iteration (stock, cohort, expected entries)
	iterations  int     // iterations this process runs (one shard's share), over all runs
	runs        int     // simulation runs of an analysis (tornado, sweep...); 0 means 1
	arms        int
	cores       int
	workers     int
	childArms   float64
	hours       float64 // wall time at childArmsPerCoreSecond
	memory      float64 // bytes: per-iteration results (and event buffers)
	resultBytes float64 // bytes of the result folder (iterations.csv dominates)
	eventBytes  float64 // bytes of the event log, if asked for
}

// estimateRun estimates a run of m with nParams drawn parameters over
// iterations (this shard's share) on workers workers.
func estimateRun(m *sim.Model, nParams, iterations, workers int, events bool) estimate {
	e := estimate{children: sim.ExpectedChildren(m), iterations: iterations, arms: len(m.Arms)}
	e.cores = max(1, min(workers, runtime.NumCPU(), iterations))
	e.workers = workers
	e.childArms = e.children * float64(iterations) * float64(e.arms)
	e.hours = e.childArms / (childArmsPerCoreSecond * float64(e.cores)) / 3600
	e.memory = sim.MemoryEstimate(m, nParams, iterations, workers, events)
	e.resultBytes = float64(iterations) * (float64(e.arms)*(float64(len(sim.MetricNames(m)))+float64(nParams))*12 + 64)
	if events {
		e.eventBytes = sim.EventLogBytes(m, iterations)
	}
	return e
}

// check refuses a run beyond the limits, unless --allow-large; out is the
// result folder and eventsPath the event log ("" if none).
func (l limitFlags) check(what string, e estimate, out, eventsPath string) error {
	if l.allowLarge {
		return nil
	}
	memLimit, memKnown := memTotal()
	memLimit *= memoryShare
	var over []string
	if e.hours > maxHours {
		over = append(over, fmt.Sprintf("at least %s hours on this machine's %d cores (the limit is %d hours)", round(e.hours), e.cores, maxHours))
	}
	if e.memory > memLimit {
		have := "this machine's memory is unknown; the limit is 16 GB"
		if memKnown {
			have = fmt.Sprintf("this machine has %s GB", gb(memLimit/memoryShare))
		}
		over = append(over, fmt.Sprintf("about %s GB of memory (%s)", gb(e.memory), have))
	}
	disk, diskFit := diskNeeds(out, e.resultBytes, eventsPath, e.eventBytes)
	over = append(over, disk...)
	if len(over) == 0 {
		return nil
	}
	runs := max(e.runs, 1)
	perRun := fmt.Sprintf("%s iterations", round(float64(e.iterations/runs)))
	if runs > 1 {
		perRun += fmt.Sprintf(" x %d runs", runs)
	}
	msg := fmt.Sprintf("%s is too large to run as asked: %s children an iteration x %s x %d arms = %s child-simulations, which needs %s.",
		what, round(e.children), perRun, e.arms, round(e.childArms), strings.Join(over, ", and "))
	// What fits: the iterations within every limit.
	fit := float64(e.iterations)
	if e.hours > maxHours {
		fit = math.Min(fit, float64(e.iterations)*maxHours/e.hours)
	}
	if e.memory > memLimit {
		fit = math.Min(fit, float64(e.iterations)*memLimit/e.memory)
	}
	fit = math.Min(fit, float64(e.iterations)*diskFit)
	fit /= float64(runs) // --iterations is per run
	if n := niceFloor(fit); n >= 10 && n < e.iterations/runs {
		msg += fmt.Sprintf(" Reduce --iterations (%s would fit),", round(float64(n)))
	} else {
		msg += " Reduce --iterations,"
	}
	msg += " or the scenario's counts, entries or horizon_years (a --set override will do)"
	if runs == 1 {
		msg += ", split the run across machines with --shard K/N"
	}
	if eventsPath != "" {
		msg += ", drop --events"
		if e.workers > 1 && e.memory > memLimit {
			msg += " or give --workers 1 (the event log then holds one iteration in memory)"
		}
	}
	msg += ", or add --allow-large to run it anyway."
	return usagef("%s", msg)
}

// diskNeeds reports the files that will not fit in the free space of
// their file system, where that is known, and the share of the run that
// would fit (1 if all of it).
func diskNeeds(out string, outBytes float64, events string, eventBytes float64) (msgs []string, fit float64) {
	fit = 1
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
		free, ok := diskFree(dir)
		if ok && need[dir] > float64(free) {
			fit = math.Min(fit, float64(free)/need[dir])
			what := "the results"
			if events != "" {
				what = "the results and the event log"
			}
			msgs = append(msgs, fmt.Sprintf("about %s GB of disk for %s where %s has %s GB free", gb(need[dir]), what, dir, gb(float64(free))))
		}
	}
	return msgs, fit
}

// diskFree is freeBytes; a variable for tests.
var diskFree = freeBytes

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

// memTotal is machineMemory; a variable for tests.
var memTotal = machineMemory

// machineMemory is the machine's memory in bytes, from /proc/meminfo; on
// other systems it is unknown and defaultMemory is used.
func machineMemory() (float64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return defaultMemory, false
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
	return defaultMemory, false
}

func gb(b float64) string { return strconv.FormatFloat(b/(1<<30), 'f', 1, 64) }

// round writes a large number with a few significant figures: 1200000000
// as "1,200,000,000".
func round(x float64) string {
	if math.IsInf(x, 0) || math.IsNaN(x) || x >= 1e18 {
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	if x < 10 {
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	s := strconv.FormatInt(int64(math.Round(x)), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// checkJobs checks each scenario of a run of iters iterations (this
// shard's) into the folder root against the limits.
func (l limitFlags) checkJobs(jobs []*job, rf runFlags, iters int, root string) error {
	for _, j := range jobs {
		e := estimateRun(j.model, len(j.params), iters, rf.workers, rf.events != "")
		if err := l.check(j.path, e, root, rf.events); err != nil {
			return err
		}
	}
	return nil
}

// niceFloor rounds x down to two significant figures: 5015180 to 5000000.
func niceFloor(x float64) int {
	if x < 100 {
		return int(x)
	}
	p := math.Pow(10, math.Floor(math.Log10(x))-1)
	return int(math.Floor(x/p) * p)
}
