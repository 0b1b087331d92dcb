//go:build !race

package validation_test

const raceEnabled = false
