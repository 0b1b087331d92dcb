package safefile_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/reunify/reunify/internal/safefile"
)

// A command reserves everything it will write before its work, writes
// into the staged paths, then commits them together.
func ExamplePlan() {
	dir, _ := os.MkdirTemp("", "plan-example-")
	defer os.RemoveAll(dir)
	scenario := filepath.Join(dir, "mine.toml")
	os.WriteFile(scenario, []byte("name = \"mine\"\n"), 0o644)

	plan, _ := safefile.NewPlan(false, scenario) // no --force; the scenario is an input
	defer plan.Abort()                           // whatever was not committed is removed
	staged, err := plan.Folder(filepath.Join(dir, "results"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Writing over the input is refused before any work.
	if _, err := plan.File(scenario, safefile.OwnedAny); err != nil {
		fmt.Println("refused:", filepath.Base(scenario))
	}
	os.WriteFile(filepath.Join(staged, "notes.txt"), []byte("the work\n"), 0o644)
	if err := plan.Commit(context.Background()); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, "results", "notes.txt"))
	fmt.Print(string(b))
	// Output:
	// refused: mine.toml
	// the work
}
