package scenario

import "github.com/reunify/reunify/sim"

// File is a scenario file opened to be simulated: the file as read (for
// a manifest's checksum, and for rebuilding the scenario with other
// overrides), the scenario, and the engine's model with the parameters
// still given as distributions.
type File struct {
	Path string
	Raw  []byte
	*Scenario
	Model  *sim.Model
	Params []sim.Param
}

// Open reads the scenario file at path (ReadFile), applies the overrides
// in sets (LoadBytes) and builds the engine's model (Build), as every
// command that simulates a scenario does. Bad input gives Problems.
func Open(path string, sets []string) (*File, error) {
	raw, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	sc, err := LoadBytes(path, raw, sets)
	if err != nil {
		return nil, err
	}
	m, params, err := sc.Build()
	if err != nil {
		return nil, err
	}
	return &File{Path: path, Raw: raw, Scenario: sc, Model: m, Params: params}, nil
}
