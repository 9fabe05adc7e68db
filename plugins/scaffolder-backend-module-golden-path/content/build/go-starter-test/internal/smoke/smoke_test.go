// Package smoke holds a first test, so that the pipeline has tests to run from day one.
// Replace it with real tests next to the code they test.
package smoke

import (
	"os"
	"testing"
)

func TestModuleFileExists(t *testing.T) {
	if _, err := os.Stat("../../go.mod"); err != nil {
		t.Fatalf("go.mod not found: %v", err)
	}
}
