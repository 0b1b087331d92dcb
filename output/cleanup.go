package output

import (
	"errors"
	"os"
	"slices"
	"sync"
)

// ErrAbandoned is returned by a write that RemoveTemporary cut short.
var ErrAbandoned = errors.New("output: abandoned: the program is quitting")

// temps tracks the temporary files and folders of writes in progress, so
// that a program quitting at once (a second Ctrl-C) can remove them. The
// lock also guards the renames that put a result in place: RemoveTemporary
// waits for one in progress to finish, and none starts after it, so a
// quit never leaves an earlier result moved aside.
var temps struct {
	sync.Mutex
	live      map[string]bool
	abandoned bool
}

// trackTemp records path as a temporary file or folder until the
// returned function is called.
func trackTemp(path string) (untrack func()) {
	temps.Lock()
	defer temps.Unlock()
	if temps.live == nil {
		temps.live = map[string]bool{}
	}
	temps.live[path] = true
	return func() {
		temps.Lock()
		defer temps.Unlock()
		delete(temps.live, path)
	}
}

// critical runs f, the renames that put a result in place, unless
// RemoveTemporary has been called; RemoveTemporary waits for it.
func critical(f func() error) error {
	temps.Lock()
	defer temps.Unlock()
	if temps.abandoned {
		return ErrAbandoned
	}
	return f()
}

// RemoveTemporary removes the temporary files and folders of every write
// in progress (Write, WriteFileAtomic) and makes those writes fail rather
// than rename anything into place. It returns the paths removed. Call it
// just before quitting without waiting for the writes, as on a second
// interrupt: results already in place, earlier ones included, are left
// as they are.
func RemoveTemporary() []string {
	temps.Lock()
	defer temps.Unlock()
	temps.abandoned = true
	var removed []string
	for p := range temps.live {
		if os.RemoveAll(p) == nil {
			removed = append(removed, p)
		}
	}
	slices.Sort(removed)
	return removed
}
