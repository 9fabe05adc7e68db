package ledger

import (
	"errors"
	"testing"
)

func TestValidate(t *testing.T) {
	cases := []struct {
		name     string
		postings []Posting
		wantErr  error
	}{
		{"balanced", []Posting{{"cash", 1000, "EUR"}, {"revenue", -1000, "EUR"}}, nil},
		{"unbalanced", []Posting{{"cash", 1000, "EUR"}, {"revenue", -900, "EUR"}}, ErrUnbalanced},
		{"balanced per currency", []Posting{
			{"cash", 1000, "EUR"}, {"revenue", -1000, "EUR"},
			{"cash", 500, "GBP"}, {"revenue", -400, "GBP"},
		}, ErrUnbalanced},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Validate(c.postings)
			if c.wantErr == nil && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if c.wantErr != nil && !errors.Is(err, c.wantErr) {
				t.Fatalf("got %v, want %v", err, c.wantErr)
			}
		})
	}
}

func TestValidateNeedsTwoPostings(t *testing.T) {
	if err := Validate([]Posting{{"cash", 0, "EUR"}}); err == nil {
		t.Fatal("a single posting must be rejected")
	}
}
