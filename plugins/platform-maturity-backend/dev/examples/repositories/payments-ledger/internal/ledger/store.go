package ledger

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store records entries in PostgreSQL.
type Store struct{ DB *pgxpool.Pool }

// Post validates and records an entry once per idempotency key, returning the entry id.
func (s *Store) Post(ctx context.Context, idempotencyKey string, postings []Posting) (string, error) {
	if err := Validate(postings); err != nil {
		return "", err
	}
	var id string
	err := pgx.BeginFunc(ctx, s.DB, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx,
			`INSERT INTO entries (idempotency_key) VALUES ($1)
			 ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`, idempotencyKey).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return tx.QueryRow(ctx, `SELECT id FROM entries WHERE idempotency_key = $1`, idempotencyKey).Scan(&id)
		}
		if err != nil {
			return err
		}
		for _, p := range postings {
			if _, err := tx.Exec(ctx,
				`INSERT INTO postings (entry_id, account, amount_minor, currency) VALUES ($1, $2, $3, $4)`,
				id, p.Account, p.AmountMinor, p.Currency); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}
