package scenario

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

const (
	docsFile       = "../docs/scenario.md"
	docsTableStart = "<!-- The table below is written from scenario/params.go by: go test ./scenario -run TestDocsParameterTable -update -->"
	docsTableEnd   = "<!-- end of the parameter table -->"
)

// rangeText writes a rule's range for readers: [0, 1000000000], (0, 1000].
func rangeText(r rule) string {
	num := func(x float64) string {
		if math.IsInf(x, 0) {
			return "∞"
		}
		return formatNum(x)
	}
	hi := r.hi
	if r.max != 0 && r.max < hi {
		hi = r.max
	}
	open, close := "[", "]"
	if r.loOpen {
		open = "("
	}
	if r.hiOpen && hi == r.hi || math.IsInf(hi, 1) {
		close = ")"
	}
	s := open + num(r.lo) + ", " + num(hi) + close
	if r.integer {
		s += ", whole"
	}
	return s
}

// parameterTable writes the numbers of the parameter table as Markdown.
func parameterTable() []byte {
	var b bytes.Buffer
	b.WriteString("| key | unit | default (source) | range | distribution |\n|---|---|---|---|---|\n")
	for _, r := range paramTable {
		if r.kind != isNumber && r.kind != isBands && !(r.kind == isList && r.rule.what != "") {
			continue
		}
		def := "required"
		switch {
		case r.kind == isList:
			def = "see the keys above"
		case r.kind == isBands && r.required:
			def = "required"
		case !r.required:
			def = fmt.Sprintf("%s (%s)", formatNum(r.dflt), r.source)
		}
		dist := "yes"
		if r.rule.plain {
			dist = "no"
		}
		unit := r.unit
		if r.kind == isBands {
			unit += ", one or one per age band"
		} else if r.kind == isList {
			unit += ", a list"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", strings.NewReplacer("correlation.*", "correlation.N", "*", "NAME").Replace(r.path), unit, def, rangeText(r.rule), dist)
	}
	return b.Bytes()
}

// TestDocsParameterTable keeps docs/scenario.md's table of every number
// (key, unit, default and its source, range, whether a distribution is
// allowed) the table of params.go: a row added there is documented by
// running this test with -update.
func TestDocsParameterTable(t *testing.T) {
	doc, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(doc, []byte(docsTableStart)), bytes.Index(doc, []byte(docsTableEnd))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the markers of the parameter table:\n%s\n%s", docsFile, docsTableStart, docsTableEnd)
	}
	i += len(docsTableStart) + 1
	want := parameterTable()
	if bytes.Equal(doc[i:j], want) {
		return
	}
	if *update {
		out := append(append(append([]byte(nil), doc[:i]...), want...), doc[j:]...)
		if err := os.WriteFile(docsFile, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s's parameter table is not that of params.go: run go test ./scenario -run TestDocsParameterTable -update", docsFile)
}
