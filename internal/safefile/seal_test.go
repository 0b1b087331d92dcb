package safefile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealRefusesEveryChange: a sealed file is reunify's as written; a
// byte changed, appended, removed or a line added, a seal copied onto
// another text, a seal of another comment syntax or none at all is not.
func TestSealRefusesEveryChange(t *testing.T) {
	text := []byte("# Calibrated by reunify\nname = \"x\"\n[costs]\nreturn = 5627\n")
	sealed := Seal(text, "#")
	owned := OwnedSealed("#")
	p := filepath.Join(t.TempDir(), "s.toml")
	write := func(b []byte) { os.WriteFile(p, b, 0o644) }
	write(sealed)
	if err := owned(p); err != nil {
		t.Fatalf("as sealed: %v", err)
	}
	if string(Seal([]byte("a"), "#")[:2]) != "a\n" {
		t.Error("Seal does not end the text with a newline before its seal")
	}
	i := strings.Index(string(sealed), "5627")
	for name, b := range map[string][]byte{
		"a number changed at the same size": []byte(strings.Replace(string(sealed), "5627", "5628", 1)),
		"a byte appended":                   append(append([]byte(nil), sealed...), 'x'),
		"a line appended":                   append(append([]byte(nil), sealed...), "# my note\n"...),
		"a line inserted":                   []byte(strings.Replace(string(sealed), "[costs]", "# mine\n[costs]", 1)),
		"a byte removed":                    append(append([]byte(nil), sealed[:i]...), sealed[i+1:]...),
		"the seal alone":                    sealed[len(text):],
		"the seal copied onto another text": append([]byte("name = \"mine\"\n"), sealed[len(text):]...),
		"no seal":                           text,
		"the seal's newline removed":        sealed[:len(sealed)-1],
		"another comment syntax":            Seal(text, "//"),
		"empty":                             nil,
	} {
		write(b)
		if err := owned(p); err == nil {
			t.Errorf("%s: accepted as reunify's", name)
		}
	}
}
