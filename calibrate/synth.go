package calibrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/reunify/reunify/sim"
	"github.com/reunify/reunify/ssda903"
)

// SynthOptions control Synth.
type SynthOptions struct {
	// Options are the simulation's: its iterations (simulated
	// authorities; < 1 means 1), seed, workers and progress, and the
	// parameters drawn per iteration (nil simulates the model as given,
	// the means of its distributions). Synth writes the event log itself.
	sim.Options
	// Start is the date of month 0 (default 2020-04-01).
	Start ssda903.Date
}

// DefaultStart is month 0 of a synthetic return: 1 April 2020, the start
// of a collection year.
var DefaultStart, _ = ssda903.MakeDate(2020, 4, 1)

// Synth simulates the baseline arm of m with an event log and converts the
// events into SSDA903 episodes and header files, one pair per iteration,
// written to the writers open returns. Only the baseline arm is simulated.
func Synth(ctx context.Context, m *sim.Model, opt SynthOptions, open func(iteration int) (episodes, header io.Writer, err error)) (ssda903.ExportCounts, error) {
	var unnamed []string
	for _, p := range m.Placements {
		if _, ok := ssda903.TypeByName(p.Name); !ok {
			unnamed = append(unnamed, strconv.Quote(p.Name))
		}
	}
	if len(unnamed) > 0 {
		var names []string
		for t := range ssda903.NumTypes {
			names = append(names, t.String())
		}
		what := "placement " + unnamed[0] + " has"
		if len(unnamed) > 1 {
			what = "placements " + strings.Join(unnamed, ", ") + " have"
		}
		return ssda903.ExportCounts{}, fmt.Errorf("%s no SSDA903 code: name placements as calibrate writes them (%s)", what, strings.Join(names, ", "))
	}
	base := m.Clone()
	base.Arms = base.Arms[:1]
	if opt.Start == 0 {
		opt.Start = DefaultStart
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		o := opt.Options
		o.Iterations, o.Events, o.Shards = max(o.Iterations, 1), pw, 0
		_, err := sim.Run(ctx, base, o)
		pw.CloseWithError(err)
		done <- err
	}()
	n, err := ssda903.Export(pr, ssda903.ExportOptions{Start: opt.Start, HorizonMonths: base.Horizon, Arm: base.Arms[0].Name}, open)
	pr.CloseWithError(errors.New("export stopped"))
	runErr := <-done
	if err != nil {
		return n, err
	}
	return n, runErr
}

// The files of a synthetic return, as a local authority holds them.
const (
	SynthEpisodesFile = "episodes.csv"
	SynthHeaderFile   = "header.csv"
)

// SynthFolder is Synth writing its files into the folder dir (a new one,
// or a plan's stage): episodes.csv and header.csv, or, with more than one
// iteration, one authority of its own in each dir/iteration_K/. A
// failure to write is the file system's error (an *fs.PathError); any
// other is an *InputError (a scenario whose placements have no SSDA903
// code, say).
func SynthFolder(ctx context.Context, m *sim.Model, opt SynthOptions, dir string) (ssda903.ExportCounts, error) {
	var files []*os.File
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()
	create := func(path string) (io.Writer, error) {
		f, err := os.Create(path)
		if err == nil {
			files = append(files, f)
		}
		return f, err
	}
	open := func(it int) (io.Writer, io.Writer, error) {
		d := dir
		if opt.Iterations > 1 {
			d = filepath.Join(dir, fmt.Sprintf("iteration_%d", it))
			if err := os.Mkdir(d, 0o755); err != nil {
				return nil, nil, err
			}
		}
		e, err := create(filepath.Join(d, SynthEpisodesFile))
		if err != nil {
			return nil, nil, err
		}
		h, err := create(filepath.Join(d, SynthHeaderFile))
		return e, h, err
	}
	n, err := Synth(ctx, m, opt, open)
	for _, f := range files {
		err = errors.Join(err, f.Close()) // the plan's commit syncs them
	}
	files = nil
	if err != nil && !errors.Is(err, context.Canceled) && !errors.As(err, new(*fs.PathError)) {
		err = &InputError{err}
	}
	return n, err
}
