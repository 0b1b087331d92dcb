// Package resultdir is the result folder: the contract between reunify
// and the people and scripts that read its results. Every file name
// (names.go) and every CSV header (csv.go) is declared here once, and the
// package both writes the files and reads them back.
//
// A run's folder holds summary.csv, iterations.csv, yearly.csv,
// comparison.csv, acceptability.csv, survival.csv, scenario.toml and,
// last, manifest.json, which records how the folder was made and lists
// every other file with its size and sha256 (what merge verifies and
// --force recognises). A shard's folder adds shard.csv, every number of
// its results written to read back bit for bit, from which Merge
// rebuilds the whole run; a batch's folder holds one folder per scenario
// and a summary.csv joining theirs. The analyses add tornado.csv,
// sweep.csv or breakeven.csv, each with its manifest beside it. The
// columns and metric names are a user contract (docs/outputs.md): only
// ever added to, never renamed.
//
// Numbers in every CSV file are plain decimals (FormatNumber: the
// shortest exact representation, never exponent notation), NA for a
// missing or undefined value, and Inf or -Inf for infinities, so that R
// (read.csv), pandas (read_csv) and spreadsheets read them without
// options. The statistics in them are package summary's.
//
// Writing goes through internal/safefile: Write puts a folder in place
// atomically; WriteFolder and WriteBatch write into a stage of a plan
// the caller commits with the rest of a command's files. Owned,
// OwnedEventLog and OwnedAnalysis say what --force may replace. Reading back (LoadFolder,
// ReadShard, ReadManifest) refuses, with the file, line and column, what
// reunify did not write, and reads within bounds: a damaged or hostile
// folder can neither crash nor exhaust a command.
package resultdir
