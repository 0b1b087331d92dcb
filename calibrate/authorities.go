package calibrate

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/reunify/reunify/ssda903"
)

// Authorities are the authorities one calibration works on, as chosen by
// la (SelectAuthorities).
type Authorities struct {
	// Data holds the children of each authority calibrated, each then
	// shrunk toward the others, or of the files as one (the region, or
	// files of one authority); Codes are their codes ("" for the files as
	// one).
	Data  []*ssda903.Data
	Codes []string
	// Target is the index in Data of the one authority asked for (or of
	// the files as one); -1 when every authority gets a scenario of its
	// own (la "all").
	Target int
}

// SelectAuthorities chooses, for la, what to calibrate from files that
// may hold several authorities (an LA column): "" for files of one
// authority, an authority's code (still shrunk toward every authority in
// the files), "all" for one scenario each, or "region" for the files as
// one. A choice the files cannot meet is an *InputError that says which
// to make.
func SelectAuthorities(data *ssda903.Data, la string) (*Authorities, error) {
	pick, each, err := authorities(data, la)
	if err != nil {
		return nil, err
	}
	if !each {
		return &Authorities{Data: []*ssda903.Data{data}, Codes: []string{""}}, nil
	}
	all := pick
	if la != "all" {
		// One authority, still shrunk toward every authority in the files.
		if every, _, err := authorities(data, "all"); err == nil {
			all = every
		}
	}
	a := &Authorities{Target: -1}
	for _, k := range all {
		a.Data = append(a.Data, data.Authority(k))
		a.Codes = append(a.Codes, data.LAs[k])
	}
	if la != "all" {
		a.Target = slices.Index(a.Codes, data.LAs[pick[0]])
	}
	return a, nil
}

// authorities returns the authorities la asks for, by index in data.LAs,
// and whether each gets a scenario of its own (false: all are pooled as
// one, the region).
func authorities(data *ssda903.Data, la string) (pick []uint16, each bool, err error) {
	var present []uint16
	seen := map[uint16]bool{}
	for _, c := range data.Children {
		if !seen[c.LA] {
			seen[c.LA] = true
			present = append(present, c.LA)
		}
	}
	slices.SortFunc(present, func(a, b uint16) int { return strings.Compare(data.LAs[a], data.LAs[b]) })
	var codes []string
	for _, k := range present {
		if data.LAs[k] != "" {
			codes = append(codes, data.LAs[k])
		}
	}
	bad := func(format string, a ...any) ([]uint16, bool, error) {
		return nil, false, &InputError{fmt.Errorf(format, a...)}
	}
	switch {
	case la == "" && len(codes) <= 1 || la == "region":
		return present, false, nil
	case la == "" && len(present) > 1:
		return bad("calibrate: the files hold %d authorities (%s): give --la CODE for one, --la all for one scenario each (shrunk toward the region), or --la region for all as one",
			len(present), strings.Join(codes, ", "))
	case len(codes) == 0:
		return bad("calibrate: --la: the files have no LA column, so they hold one authority: leave --la out")
	case la == "all":
		if seen[0] {
			return bad("calibrate: --la all: some children are only in files without an LA column; calibrate those files on their own, or give --la region")
		}
		return present, true, nil
	}
	want := strings.ToUpper(strings.TrimSpace(la))
	for _, k := range present {
		if data.LAs[k] == want {
			return []uint16{k}, true, nil
		}
	}
	if ssda903.IsAuthorityCode(want) {
		return bad("calibrate: --la %s: no such authority in the files (they hold %s)", want, strings.Join(codes, ", "))
	}
	return bad("calibrate: --la: not an authority code, \"all\" or \"region\" (the files hold %s)", strings.Join(codes, ", "))
}

// Calibrated is one scenario calibrated from a return.
type Calibrated struct {
	Code      string     // the authority's code; "" for the files as one
	Path      string     // where it is to be written, as the user sees it
	Text      string     // the scenario, checked by the scenario reader
	Estimates *Estimates // what it was made from
}

// String says what the scenario was made from, and where it goes.
func (c Calibrated) String() string {
	who := ""
	if c.Code != "" {
		who = c.Code + ": "
	}
	e := c.Estimates
	return fmt.Sprintf("%s%d children in care at the start, %d entries, %d returns home; wrote %s", who, e.Stock, e.Entries.Events, e.Returns, c.Path)
}

// Scenarios calibrates a scenario for each authority of a over the
// window w: the one asked for (a.Target), written to out, or every one
// (a.Target < 0), written to out/CODE.toml, each estimated from its own
// children and pooled toward all of them (PoolAll). opt.Name, if empty,
// is the scenario's file name without its extension.
func Scenarios(a *Authorities, w Window, opt WriteOptions, out string) ([]Calibrated, error) {
	ests := make([]*Estimates, len(a.Data))
	for i, d := range a.Data {
		ests[i] = Estimate(d, w)
	}
	pooled := PoolAll(ests)
	var cs []Calibrated
	for i, code := range a.Codes {
		if a.Target >= 0 && i != a.Target {
			continue
		}
		c := Calibrated{Code: code, Path: out, Estimates: ests[i]}
		if a.Target < 0 {
			c.Path = filepath.Join(out, code+".toml")
		}
		o := opt
		o.Authority = code
		if o.Name == "" {
			o.Name = strings.TrimSuffix(filepath.Base(c.Path), filepath.Ext(c.Path))
		}
		var err error
		if c.Text, err = Scenario(c.Path, ests[i], pooled[i], o); err != nil {
			return nil, err
		}
		cs = append(cs, c)
	}
	return cs, nil
}

// DroppedPath is where the rows calibrating into out skipped or reported
// are listed: dropped if given, else beside out as <name>_dropped.csv;
// and, calibrating every authority into the folder out, dropped.csv in
// it (inside reports that: the file then lands with the folder).
func DroppedPath(out, dropped string, folder bool) (path string, inside bool) {
	in := filepath.Join(out, "dropped.csv")
	switch {
	case folder && (dropped == "" || filepath.Clean(dropped) == in):
		return in, true
	case dropped == "":
		return strings.TrimSuffix(out, filepath.Ext(out)) + "_dropped.csv", false
	}
	return dropped, false
}

// Return is an SSDA903 return read for calibration (ReadReturn).
type Return struct {
	Data        *ssda903.Data
	Report      *ssda903.Report // the rows skipped or reported
	Authorities *Authorities    // chosen by la
	Window      Window          // not yet validated: see Window.Validate
	Sources     []string        // the files' names, for the scenario's header
}

// ReadReturn reads the header and episodes files, chooses the
// authorities la asks for (SelectAuthorities) and the window: the files'
// own (DefaultWindow), with from and to, when not nil, for its ends.
func ReadReturn(headers, episodes []string, la string, from, to *ssda903.Date) (*Return, error) {
	data, rep, err := ssda903.ReadFiles(headers, episodes)
	if fe := (*ssda903.FileError)(nil); err != nil && !errors.As(err, &fe) {
		err = fmt.Errorf("calibrate: %w", err) // a FileError names its file and line
	}
	if err != nil {
		return nil, err
	}
	r := &Return{Data: data, Report: rep, Window: DefaultWindow(data)}
	if r.Authorities, err = SelectAuthorities(data, la); err != nil {
		return nil, err
	}
	if from != nil {
		r.Window.From = *from
	}
	if to != nil {
		r.Window.To = *to
	}
	for _, p := range append(slices.Clone(episodes), headers...) {
		r.Sources = append(r.Sources, filepath.Base(p))
	}
	return r, nil
}
