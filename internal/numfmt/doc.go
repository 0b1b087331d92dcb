// Package numfmt writes numbers for a person: whole numbers with their
// digits grouped in thousands by commas (1,000,000, never 1e+06), as every
// table, message and report of reunify prints them.
package numfmt
