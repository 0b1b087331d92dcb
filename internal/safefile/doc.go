// Package safefile is the one rule for every file and folder reunify
// writes, and the careful way it reads what it wrote back.
//
// Writing: a Plan reserves every destination of a command before any
// work (so that an unwritable or forbidden destination is found at
// once), builds each in a stage beside it, and commits them together:
// all land, or none does. It writes a new folder, into a folder reunify
// wrote, or a file that does not exist yet; with force it replaces only
// what an Owned check accepts (a folder or file reunify wrote), never
// an input of the command, the working folder or one above it, a mount
// point or a symbolic link. An earlier result is moved aside and removed
// only once everything new is in place, and put back if a rename fails.
// WriteFile is the rule for a single file.
//
// After a kill: every stage records its owner (process, host, boot and
// container) and the other stages of its commit, and marks the start of
// its renames on disk before the first; the next Plan that writes beside
// a stage of a process that is gone finishes or undoes its commit and
// removes it (Notes says what it did). A stage that may belong to a live
// process is never touched. RemoveTemporary is the second Ctrl-C: it
// removes the stages of the plans in progress and makes them fail
// rather than rename anything into place.
//
// Reading: OpenRegular and ReadSmall open only regular files (never a
// device, a pipe, a folder or a link), and ReadSmall reads at most a
// limit, so that a hostile path can neither hang a command nor fill its
// memory.
//
// A test build (-tags reunifytest) pauses at each step of a commit when
// asked (TestPhase), so that tests can signal or kill a process there.
package safefile
