package numfmt_test

import (
	"fmt"

	"github.com/reunify/reunify/internal/numfmt"
)

func ExampleThousands() {
	fmt.Println(numfmt.Thousands(61614.4), numfmt.Thousands(-1e7))
	// Output: 61,614 -10,000,000
}
