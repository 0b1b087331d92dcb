package main

import "github.com/reunify/reunify/internal/safefile"

// writeHint follows the message of a failed write of results.
var writeHint = safefile.AfterFailure
