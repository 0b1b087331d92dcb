package calibrate

import (
	"context"
	"errors"
)

// InputError is an error in what calibrate was given: the files, the
// authorities asked for, the window, the targets or the parameters to
// fit. It is bad input (exit status 2), not a failure of the program.
// Fit and Backtest return their errors as *InputError (an interrupt
// excepted): a scenario or a window that cannot be fitted is the input's.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// BadInput reports that the input, not the program, is at fault.
func (e *InputError) BadInput() bool { return true }

// input makes err an *InputError, unless it is nil or an interrupt.
func input(err error) error {
	var ie *InputError
	if err == nil || errors.Is(err, context.Canceled) || errors.As(err, &ie) {
		return err
	}
	return &InputError{err}
}
