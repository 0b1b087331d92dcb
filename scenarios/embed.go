// Package scenarios holds the shipped scenarios: commented TOML files in
// which every default figure cites its source. They are embedded in the
// binary, so `reunify validate-model` checks the model against the
// published evidence wherever it runs.
package scenarios

import "embed"

// FS holds the shipped scenario files (*.toml) at its root.
//
//go:embed *.toml
var FS embed.FS
