// Package output turns the engine's results (sim.Results) into the files
// and tables that people and scripts read.
//
// Write produces a result folder atomically: every file is written into a
// temporary folder beside the destination, synced to disk and renamed into
// place only when complete, so a failed or interrupted run leaves either
// nothing or a complete folder and never damages an earlier one. The folder
// holds summary.csv, iterations.csv, yearly.csv, comparison.csv,
// survival.csv, manifest.json and scenario.toml; their columns and metric
// names are a user contract (docs and scripts rely on them) and are only
// ever added to, never renamed.
//
// Numbers in every CSV file are plain decimals (strconv 'f' format with the
// shortest exact representation, never exponent notation), NA for a
// missing or undefined value, and Inf or -Inf for infinities, so that R
// (read.csv), pandas (read_csv) and spreadsheets read them without options.
//
// The statistics are package summary's.
//
// WriteTable prints a short table for a person at a terminal, and
// WriteBatchSummary writes one summary.csv across the scenarios of a batch.
package output
