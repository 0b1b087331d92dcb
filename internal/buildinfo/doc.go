// Package buildinfo says which build of reunify is running: its version,
// the VCS revision it was built from and the Go toolchain. Every
// manifest records them, and "reunify version" prints them.
package buildinfo
