// Package resultstest holds what the tests of the packages reading
// sim.Results share: a small hand-made result set whose every figure can
// be worked out by hand, a tolerant comparison of floats, and golden
// files. It is imported only by tests.
package resultstest
