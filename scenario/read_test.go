//go:build unix

package scenario

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadFileRefusesWhatIsNotAFile: ReadFile never waits. A named pipe
// (a blocking open waited for a writer for ever, and the first Ctrl-C of
// run did nothing), a socket, a terminal or another device that has
// nothing to read is refused at once with a message saying what it is; a
// device that has bytes at once (/dev/zero) is read within the bound and
// refused as too large, as before; a regular file, also through a
// symbolic link, is read.
func TestReadFileRefusesWhatIsNotAFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// A FIFO a writer holds open, with bytes waiting in it.
	fed := filepath.Join(dir, "fed.toml")
	if err := syscall.Mkfifo(fed, 0o600); err != nil {
		t.Fatal(err)
	}
	reader, err := os.OpenFile(fed, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	writer, err := os.OpenFile(fed, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()
	writer.Write([]byte("name = \"x\"\n"))
	sock := filepath.Join(dir, "sock.toml")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	good := filepath.Join(dir, "good.toml")
	os.WriteFile(good, []byte("name = \"x\"\n"), 0o644)
	link := filepath.Join(dir, "link.toml")
	os.Symlink(good, link)
	tests := []struct{ name, path, want string }{
		{"a named pipe", fifo, "is a named pipe"},
		{"a named pipe with a writer", fed, "is a named pipe"},
		{"a socket", sock, "is a socket"},
		{"a terminal", "/dev/ptmx", "nothing to read"},
		{"an endless device", "/dev/zero", "is this the right file?"},
		{"a folder", dir, "is a folder"},
		{"missing", filepath.Join(dir, "none.toml"), "no such file"},
		{"a regular file", good, ""},
		{"a link to a regular file", link, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := os.Stat(tt.path); err != nil && tt.want != "no such file" {
				t.Skipf("%s: %v", tt.path, err)
			}
			done := make(chan error, 1)
			go func() {
				data, err := ReadFile(tt.path)
				if err == nil && len(data) > 0 {
					// What Load does next: the size check.
					if p := checkShape(tt.path, data); p != nil {
						err = Problems{*p}
					}
				}
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				// Release the open: a writer ends a reader's wait.
				if w, err := os.OpenFile(tt.path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
					w.Close()
				}
				t.Fatalf("ReadFile(%s) still waiting after 10 s", tt.path)
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want the file read", err)
				}
				return
			}
			ps, ok := AsProblems(err)
			if !ok || len(ps) != 1 || ps[0].File != tt.path || !strings.Contains(ps[0].Msg, tt.want) {
				t.Fatalf("got %v, want one problem of %s saying %q", err, tt.path, tt.want)
			}
		})
	}
}
