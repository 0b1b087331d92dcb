package buildinfo

import (
	"runtime"
	"runtime/debug"
)

// version is set at build time by the Makefile:
//
//	go build -ldflags "-X github.com/reunify/reunify/internal/buildinfo.version=$(git describe --tags --always --dirty)"
var version string

// read is debug.ReadBuildInfo; a variable for tests.
var read = debug.ReadBuildInfo

// Version is the program's version: the one the build set (the Makefile
// sets git describe's), else the module's version of a "go install
// ...@v1.2.3", else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := read(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// Commit is the VCS revision the binary was built from, as the Go
// toolchain stamps it in a build from a git checkout (vcs.revision),
// with "-dirty" when the tree had changes not committed (vcs.modified);
// "unknown" in a build without VCS information (go build -buildvcs=false,
// a test binary, a source tarball).
func Commit() string {
	info, ok := read()
	if !ok {
		return "unknown"
	}
	rev, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty && rev != "unknown" {
		rev += "-dirty"
	}
	return rev
}

// Go is the version of the Go toolchain the binary was built with.
func Go() string { return runtime.Version() }

// String is the program's identity as "reunify version" prints it:
// "reunify v1.2.0 (commit 0123abc..., go1.26.8)".
func String() string {
	return "reunify " + Version() + " (commit " + Commit() + ", " + Go() + ")"
}
