// Package report presents results to people: the short table a run
// prints on the terminal (WriteTable), and the HTML report with its
// charts (WriteReport), built from a result folder's files as
// resultdir.LoadFolder reads them back, so that any result folder can be
// reported, one written by an older version included.
//
// The report is one self-contained page (inline SVG charts and CSS, no
// scripts, fonts or links outside the file) and a charts folder with
// every chart as SVG and PNG, drawn with gonum.org/v1/plot in the
// Okabe-Ito palette. Money is shown as people read it (£1.23m), rates as
// percentages; the result files are the precise record.
//
// Only the command line imports report: the analyses (sensitivity,
// validation, calibrate) summarise numbers with package summary and
// never pull in the charts or the templates.
package report
