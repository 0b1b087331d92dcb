// Package caught catches SIGINT and SIGTERM from the first moment the
// program can: its init, which needs nothing but os/signal, runs before
// the packages that take milliseconds to start (the charts' fonts, the
// templates). Until then a signal ends the process as the shell's
// default would; from then on every signal waits in C for the
// interrupt package, which decides what it does.
package caught

import (
	"os"
	"os/signal"
	"syscall"
)

// C receives every SIGINT and SIGTERM from the program's start.
var C = make(chan os.Signal, 8)

func init() { signal.Notify(C, os.Interrupt, syscall.SIGTERM) }
