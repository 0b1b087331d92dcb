package appraise_test

import (
	"fmt"
	"path/filepath"

	"github.com/reunify/reunify/appraise"
	"github.com/reunify/reunify/scenario"
)

// The break-even searches of the shipped local-authority scenario: the
// support effect after a return and the uptake of its one package.
func ExampleSearches() {
	job, err := scenario.Open(filepath.Join("..", "scenarios", "local-authority.toml"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range appraise.Searches(job) {
		fmt.Println(path)
	}
	// Output:
	// package.post_return_support.post.hr_reentry
	// package.post_return_support.uptake
}
