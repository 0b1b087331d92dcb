// Package interrupt is how reunify stops when asked: the first Ctrl-C
// (SIGINT) or SIGTERM cancels the work, which then writes nothing and
// says how far it got (exit status 1); a second quits at once, removing
// the temporary files of writes under way (safefile.RemoveTemporary),
// with 128 plus the signal's number (130 for SIGINT, 143 for SIGTERM),
// as a shell reports a process killed by it.
package interrupt
