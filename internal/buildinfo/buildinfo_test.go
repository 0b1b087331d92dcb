package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestVersionAndCommit(t *testing.T) {
	defer func(v string, r func() (*debug.BuildInfo, bool)) { version, read = v, r }(version, read)
	info := func(main string, settings ...string) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			bi := &debug.BuildInfo{Main: debug.Module{Version: main}}
			for i := 0; i+1 < len(settings); i += 2 {
				bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
			}
			return bi, true
		}
	}
	for _, tt := range []struct {
		name, set       string
		read            func() (*debug.BuildInfo, bool)
		version, commit string
	}{
		{"make build from a clean tree", "v0.3.0-4-gabc1234", info("(devel)", "vcs.revision", "abc1234def", "vcs.modified", "false"), "v0.3.0-4-gabc1234", "abc1234def"},
		{"a tree with changes", "", info("(devel)", "vcs.revision", "abc1234def", "vcs.modified", "true"), "dev", "abc1234def-dirty"},
		{"go install of a release", "", info("v1.2.3"), "v1.2.3", "unknown"},
		{"no build information", "", func() (*debug.BuildInfo, bool) { return nil, false }, "dev", "unknown"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			version, read = tt.set, tt.read
			if got := Version(); got != tt.version {
				t.Errorf("Version() = %q, want %q", got, tt.version)
			}
			if got := Commit(); got != tt.commit {
				t.Errorf("Commit() = %q, want %q", got, tt.commit)
			}
			if got, want := String(), "reunify "+tt.version+" (commit "+tt.commit+", "+Go()+")"; got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
		})
	}
}
