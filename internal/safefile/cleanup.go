package safefile

import (
	"errors"
	"slices"
	"sync"
)

// ErrAbandoned is returned by a write that RemoveTemporary cut short.
var ErrAbandoned = errors.New("abandoned: the program is quitting")

// temps tracks the stages of the plans in progress, and the folders made
// for them, so that a program quitting at once (a second Ctrl-C) can
// remove them. The lock also guards the renames that put results in
// place: RemoveTemporary waits for a commit in progress to finish, and
// none starts after it, so a quit never leaves an earlier result moved
// aside.
var temps struct {
	sync.Mutex
	live      map[string][]string // stage -> folders made for it
	abandoned bool
}

// trackTemp records the stage root (and the folders created for it)
// until the returned function is called.
func trackTemp(root string, created []string) (untrack func()) {
	temps.Lock()
	defer temps.Unlock()
	if temps.live == nil {
		temps.live = map[string][]string{}
	}
	temps.live[root] = created
	return func() {
		temps.Lock()
		defer temps.Unlock()
		delete(temps.live, root)
	}
}

// abandoned reports whether RemoveTemporary has been called.
func abandoned() bool {
	temps.Lock()
	defer temps.Unlock()
	return temps.abandoned
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

// RemoveTemporary removes the stages of every plan in progress (and the
// folders made for them, if empty) and makes those plans fail rather
// than rename anything into place. It returns the stages removed. Call
// it just before quitting without waiting for the writes, as on a second
// interrupt: results already in place, earlier ones included, are left
// as they are.
func RemoveTemporary() []string {
	temps.Lock()
	defer temps.Unlock()
	temps.abandoned = true
	var removed []string
	for root, created := range temps.live {
		if removeStage(root) == nil {
			removed = append(removed, root)
		}
		removeCreated(created)
	}
	slices.Sort(removed)
	return removed
}
