package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/breachd/breachd/incidents"
)

const (
	sqlRuleStatePut = `INSERT INTO rule_state (rule, key, used, state) VALUES (?, ?, ?, ?)
		ON CONFLICT (rule, key) DO UPDATE SET used = excluded.used, state = excluded.state`
	sqlRuleStateDelete = `DELETE FROM rule_state WHERE rule = ? AND key = ?`
)

// storeRuleState writes the rule states of a batch in its transaction:
// each key's row is replaced, or deleted when its state is nil.
func (s *Store) storeRuleState(ctx context.Context, tx *sql.Tx, states []incidents.RuleKeyState) error {
	for _, st := range states {
		var err error
		if st.State == nil {
			_, err = s.exec(ctx, tx, sqlRuleStateDelete, st.Rule, st.Key)
		} else {
			_, err = s.exec(ctx, tx, sqlRuleStatePut, st.Rule, st.Key, st.Used, st.State)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// RuleState returns every stored rule state, least recently used first.
func (s *Store) RuleState(ctx context.Context) ([]incidents.RuleKeyState, error) {
	return collect(ctx, s.w, func(rows *sql.Rows) (incidents.RuleKeyState, error) {
		var st incidents.RuleKeyState
		err := rows.Scan(&st.Rule, &st.Key, &st.Used, &st.State)
		return st, err
	}, `SELECT rule, key, used, state FROM rule_state ORDER BY used`)
}

// KeepRuleState deletes the state of every rule not in keep (rules whose
// detection changed or that are gone): it means nothing to the rules in
// force.
func (s *Store) KeepRuleState(ctx context.Context, keep []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		q := `DELETE FROM rule_state`
		args := make([]any, len(keep))
		if len(keep) > 0 {
			q += ` WHERE rule NOT IN (?` + strings.Repeat(`, ?`, len(keep)-1) + `)`
			for i, k := range keep {
				args[i] = k
			}
		}
		_, err := tx.ExecContext(ctx, q, args...)
		return err
	})
}
