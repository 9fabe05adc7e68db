// Package ledger validates and records double-entry journal entries.
package ledger

import (
	"errors"
	"fmt"
)

// Posting moves an amount into (positive) or out of (negative) one account.
type Posting struct {
	Account     string
	AmountMinor int64
	Currency    string
}

// ErrUnbalanced is returned for an entry whose postings do not sum to zero in every currency.
var ErrUnbalanced = errors.New("entry does not balance")

// Validate checks that an entry has at least two postings and balances in every currency.
func Validate(postings []Posting) error {
	if len(postings) < 2 {
		return fmt.Errorf("an entry needs at least two postings, got %d", len(postings))
	}
	sums := map[string]int64{}
	for i, p := range postings {
		if p.Account == "" {
			return fmt.Errorf("posting %d has no account", i+1)
		}
		if p.AmountMinor == 0 {
			return fmt.Errorf("posting %d moves no money", i+1)
		}
		sums[p.Currency] += p.AmountMinor
	}
	for currency, sum := range sums {
		if sum != 0 {
			return fmt.Errorf("%w: %s is off by %d", ErrUnbalanced, currency, sum)
		}
	}
	return nil
}
