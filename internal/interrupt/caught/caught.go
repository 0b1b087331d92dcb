package caught

import (
	"os"
	"os/signal"
	"syscall"
)

// C receives every SIGINT and SIGTERM from the program's start.
var C = make(chan os.Signal, 8)

func init() { signal.Notify(C, os.Interrupt, syscall.SIGTERM) }
