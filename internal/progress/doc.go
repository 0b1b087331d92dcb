// Package progress shows a progress bar on stderr for work that takes
// more than a second: only when stderr is a terminal and the user did
// not ask for quiet, so that scripts, CI and redirected output see
// nothing.
package progress
