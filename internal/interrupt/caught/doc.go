// Package caught catches SIGINT and SIGTERM from the first moment the
// program can: its init, which needs nothing but os/signal, runs before
// the packages that take milliseconds to start (the charts' fonts, the
// templates). Until then a signal ends the process as the shell's
// default would; from then on every signal waits in C for the
// interrupt package, which decides what it does.
package caught
