//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// planted are identifiers, postcodes and dates of birth typed into the
// code and date columns of hostile SSDA903 files: none may reach the
// terminal or any file calibrate writes.
var planted = []string{"C0047", "EG19", "ZZ9 9ZZ", "SECRETLS", "K9999999X", "B123456789012", "SECRETID1", "SECRETID7", "03/07/2009", "2009-07-03", "YY8 8YY", "ZQ4711X"}

// leaked returns the planted values found in text.
func leaked(text string) []string {
	var out []string
	for _, s := range planted {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	return out
}

// hostileEpisodes has a good child and rows with identifiers and
// postcodes in every code column, a date of birth in REC, a UPN in LS,
// and an identifier too long to be one.
const hostileHeader = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n" +
	"SECRETID1,1,03/07/2009,WBRI,B123456789012,,\n" +
	"SECRETID7,2,2012-11-19,WBRI,,,\n"

const hostileEpisodes = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n" +
	"SECRETID1,01/05/2019,S,C2,N1,U4,PR1,01/08/2019,X1,,ZZ9 9ZZ,YY8 8YY,SC999111\n" +
	"SECRETID1,01/08/2019,P,C2,N1,U4,PR4,10/02/2020,E4A,CARPL,ZZ9 9ZZ,YY8 8YY,SC999111\n" +
	"SECRETID7,01/09/2019,S,C2,N1,U1,PR1,01/03/2020,C0047,,,,\n" +
	"SECRETID7,01/09/2019,S,C2,N1,EG19,PR1,,,,,,\n" +
	"SECRETID7,01/09/2019,ZZ9 9ZZ,C2,N1,U1,PR1,,,,,,\n" +
	"SECRETID7,01/09/2019,S,SECRETLS,N1,U1,PR1,,,,,,\n" +
	"SECRETID7,01/09/2019,S,C2,N1,U1,SECRETID1,,,,,,\n" +
	"SECRETID7,01/09/2019,S,C2,N1,U1,PR1,01/10/2019,03/07/2009,,,,\n" +
	"SECRETID7,ZQ4711X,S,C2,N1,U1,PR1,,,,,,\n" +
	"SECRETID7,01/09/2019,S,C2,N1,U1,PR1,2009-07-03x,E4A,,,,\n" +
	"SECRETID1ZQ4711XSECRETID1ZQ4711XSECRETID1ZQ4711XSECRETID1ZQ4711XSECRETID1,01/09/2019,S,C2,N1,U1,PR1,,,,,,\n" +
	"SECRETID7,2019-10-01,S,C2,N1,U1,PR1,,E4B,,,,\n"

// row names a file and a line, as every message about a row must.
var rowRef = regexp.MustCompile(`[^\s:]+\.csv:\d+: [a-z_0-9]+: `)

// TestCalibrateHostileFilesLeakNothing calibrates files with planted
// identifiers in the code and date columns: every problem row is named by
// file, line and column, and no planted value reaches stdout, stderr, the
// scenario or the dropped-rows file.
func TestCalibrateHostileFilesLeakNothing(t *testing.T) {
	dir := t.TempDir()
	hp, ep := filepath.Join(dir, "header.csv"), filepath.Join(dir, "episodes.csv")
	os.WriteFile(hp, []byte(hostileHeader), 0o644)
	os.WriteFile(ep, []byte(hostileEpisodes), 0o644)
	out := filepath.Join(dir, "h.toml")
	stdout, stderr, code := reunify(t, "calibrate", "--episodes", ep, "--header", hp, "--out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	files := map[string]string{"stdout": stdout, "stderr": stderr}
	for _, p := range []string{out, filepath.Join(dir, "h_dropped.csv")} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[p] = string(b)
	}
	for where, text := range files {
		if l := leaked(text); len(l) > 0 {
			t.Errorf("%s holds %q from the input files:\n%s", where, l, text)
		}
	}
	// Each problem row is named by file, line and column, in the dropped
	// rows file; the summary shows the first of each class the same way.
	dropped := strings.Split(strings.TrimSpace(files[filepath.Join(dir, "h_dropped.csv")]), "\n")
	want := []string{"4,REC,unknown_code", "5,PLACE,unknown_code", "6,RNE,unknown_code", "7,LS,unknown_code",
		"8,PLACE_PROVIDER,unknown_code", "9,REC,unknown_code", "10,DECOM,invalid_date", "11,DEC,invalid_date",
		"12,CHILD,malformed_row", "13,REC,open_with_rec"}
	if dropped[0] != "file,line,column,class,action,message" || len(dropped) != len(want)+1 {
		t.Fatalf("dropped rows file (want a header and %d rows):\n%s", len(want), strings.Join(dropped, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(dropped[i+1], ep+","+w+",") {
			t.Errorf("dropped row %d: %s\nwant %s,%s,...", i+1, dropped[i+1], ep, w)
		}
	}
	for _, w := range []string{ep + ":4: unknown_code: column REC: not a code", ep + ":12: malformed_row: column CHILD: longer than 64 characters", ep + ":13: open_with_rec: column REC: given (E4B)"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
}

// hostileRun runs the built command with a time limit and checks what
// every hostile input must get: an exit status of 0, 1 or 2, no panic,
// no planted value in its resultdir.
func hostileRun(t *testing.T, bin string, limit time.Duration, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var ob, eb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &ob, &eb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("reunify %s: still running after %v (a hang)", strings.Join(args, " "), limit)
	}
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		t.Fatalf("reunify %s: %v", strings.Join(args, " "), err)
	}
	stdout, stderr = ob.String(), eb.String()
	if code > 2 || strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") {
		t.Fatalf("reunify %s: exit %d, a crash:\n%s", strings.Join(args, " "), code, stderr)
	}
	if l := leaked(stdout + stderr); len(l) > 0 {
		t.Errorf("reunify %s: output holds %q", strings.Join(args, " "), l)
	}
	return stdout, stderr, code
}

// TestCalibrateHostileProcess runs the real command on files that are
// not SSDA903 files at all: endless devices and streams, binary and
// UTF-16 files, a line that never ends. Each must be refused quickly
// (bounded reads: before this, /dev/zero grew memory until the machine
// killed the process) with exit 2 and a message naming the file and
// line, and nothing written.
func TestCalibrateHostileProcess(t *testing.T) {
	bin := buildReunify(t)
	dir := t.TempDir()
	good := "testdata/903/"
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// fifo makes a named pipe fed with chunk forever (until the reader
	// goes away).
	fifo := func(name string, head, chunk []byte) string {
		p := filepath.Join(dir, name)
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skip("no named pipes:", err)
		}
		go func() {
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				return
			}
			defer f.Close()
			if _, err := f.Write(head); err != nil {
				return
			}
			for {
				if _, err := f.Write(chunk); err != nil {
					return
				}
			}
		}()
		return p
	}
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 1<<16)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	epHead := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
	var rows bytes.Buffer
	for i := range 2000 {
		fmt.Fprintf(&rows, "ZQ%07dX,01/05/2019,S,C2,N1,U4,PR1,01/08/2019,X1,,ZZ9 9ZZ,,\n", i)
	}
	for _, tc := range []struct {
		name             string
		episodes, header string
		want             string
	}{
		{"episodes /dev/zero", "/dev/zero", good + "header.csv", "/dev/zero:1: the file holds a NUL byte"},
		{"header /dev/zero", good + "episodes.csv", "/dev/zero", "/dev/zero:1: the file holds a NUL byte"},
		{"random bytes", write("random.csv", garbage), good + "header.csv", "random.csv:"},
		{"UTF-16", write("u16.csv", append([]byte{0xff, 0xfe}, []byte("C\x00H\x00I\x00L\x00D\x00")...)), good + "header.csv", "u16.csv:1: the file is UTF-16"},
		{"endless line", fifo("endless-line.csv", []byte(epHead), bytes.Repeat([]byte("ZQ4711X"), 4096)), good + "header.csv", "endless-line.csv:2: line 2 is longer than 64 KiB"},
		{"endless header line", good + "episodes.csv", fifo("endless-header.csv", nil, bytes.Repeat([]byte("SECRETID1,"), 4096)), "endless-header.csv:1: line 1 is longer than 64 KiB"},
		{"endless rows", fifo("endless-rows.csv", []byte(epHead), rows.Bytes()), good + "header.csv", "endless-rows.csv:"},
		{"empty", write("empty.csv", nil), good + "header.csv", "empty.csv:1: empty file"},
		{"header row only", write("head.csv", []byte(epHead)), good + "header.csv", "no usable episodes"},
		{"missing columns", write("cols.csv", []byte("CHILD,DECOM\nSECRETID1,01/01/2019\n")), good + "header.csv", "cols.csv:1: missing column RNE"},
		{"unclosed quote", write("quote.csv", []byte(epHead+"\"SECRETID1,01/05/2019,S,C2\n"+strings.Repeat("ZQ4711X,\n", 5000))), good + "header.csv", "no usable episodes"},
		{"a folder", dir, good + "header.csv", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".toml")
			_, stderr, code := hostileRun(t, bin, 60*time.Second, "calibrate", "--episodes", tc.episodes, "--header", tc.header, "--out", out)
			if code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, want 2 with %q:\n%s", code, tc.want, stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("wrote %s", out)
			}
		})
	}
	// Nothing half-written is left: no temporary files in the folder.
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", p)
		}
		return nil
	})
}

// TestCalibrateMutatedFiles calibrates hundreds of mutations of a real
// layout (the first rows of the public fake return, or the test files):
// cells deleted, replaced by identifiers, postcodes or garbage, lines
// repeated or cut, NUL, BOM, CRLF, stray quotes, columns renamed. Each
// run must end with exit 0 or 2, no panic, and no planted value in any
// resultdir.
func TestCalibrateMutatedFiles(t *testing.T) {
	read := func(paths ...string) []byte {
		for _, p := range paths {
			if b, err := os.ReadFile(p); err == nil {
				return b
			}
		}
		t.Fatal("no SSDA903 files to mutate")
		return nil
	}
	ep := read("../../../shared/data/ssda903-fake/episodes.csv", "testdata/903/episodes.csv")
	hd := read("../../../shared/data/ssda903-fake/header.csv", "testdata/903/header.csv")
	cut := func(b []byte, n int) []byte {
		lines := bytes.SplitAfter(b, []byte("\n"))
		return bytes.Join(lines[:min(n, len(lines))], nil)
	}
	ep, hd = cut(ep, 200), cut(hd, 200)
	rng := rand.New(rand.NewPCG(7, 13))
	secret := func() string { return planted[rng.IntN(len(planted))] }
	mutate := func(b []byte) []byte {
		lines := strings.Split(string(b), "\n")
		for range 1 + rng.IntN(4) {
			i := rng.IntN(len(lines))
			cells := strings.Split(lines[i], ",")
			switch rng.IntN(12) {
			case 0, 1, 2, 3: // a cell replaced by a planted value
				cells[rng.IntN(len(cells))] = secret()
			case 4: // a cell emptied
				cells[rng.IntN(len(cells))] = ""
			case 5: // a line repeated
				lines = append(lines[:i+1], lines[i:]...)
			case 6: // a line cut short
				cells = cells[:rng.IntN(len(cells))]
			case 7: // a NUL byte
				cells[rng.IntN(len(cells))] += "\x00"
			case 8: // a stray quote
				cells[rng.IntN(len(cells))] = "\"" + secret()
			case 9: // CRLF line ends
				for k := range lines {
					lines[k] += "\r"
				}
			case 10: // a BOM
				lines[0] = "\ufeff" + lines[0]
			case 11: // a column renamed
				h := strings.Split(lines[0], ",")
				h[rng.IntN(len(h))] = "ZQ4711X"
				lines[0] = strings.Join(h, ",")
			}
			if i < len(lines) {
				lines[i] = strings.Join(cells, ",")
			}
		}
		return []byte(strings.Join(lines, "\n"))
	}
	dir := t.TempDir()
	const n = 200
	exits := map[int]int{}
	for k := range n {
		e, h := ep, hd
		if k%3 != 2 {
			e = mutate(ep)
		}
		if k%3 != 0 {
			h = mutate(hd)
		}
		pe, ph := filepath.Join(dir, fmt.Sprintf("e%d.csv", k)), filepath.Join(dir, fmt.Sprintf("h%d.csv", k))
		os.WriteFile(pe, e, 0o644)
		os.WriteFile(ph, h, 0o644)
		out := filepath.Join(dir, fmt.Sprintf("s%d.toml", k))
		done := make(chan struct{})
		var stdout, stderr string
		var code int
		go func() {
			defer close(done)
			stdout, stderr, code = reunify(t, "calibrate", "--episodes", pe, "--header", ph, "--out", out)
		}()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("mutation %d: still running after 30 s", k)
		}
		exits[code]++
		if code != 0 && code != 2 {
			t.Errorf("mutation %d: exit %d: %s", k, code, stderr)
		}
		text := stdout + stderr
		for _, p := range []string{out, strings.TrimSuffix(out, ".toml") + "_dropped.csv"} {
			if b, err := os.ReadFile(p); err == nil {
				text += string(b)
			}
		}
		if l := leaked(text); len(l) > 0 {
			t.Errorf("mutation %d: output holds %q from the input", k, l)
		}
		if code == 2 && !strings.Contains(stderr, ".csv:") && !strings.Contains(stderr, "no usable episodes") {
			t.Errorf("mutation %d: refused without naming the file and line: %s", k, stderr)
		}
	}
	if exits[0] < n/4 {
		t.Errorf("exit statuses %v: most mutations leave usable rows, and should calibrate", exits)
	}
}
