package sqlstore

import (
	"context"
	"database/sql"
	"strings"

	"github.com/breachd/breachd/incidents"
)

const (
	// sqlRuleStateRule returns the id of a rule's state key, adding it
	// when new: the rows then carry a small integer, not the 64-character
	// key.
	sqlRuleStateRule = `INSERT INTO rule_state_rules (rule) VALUES (?)
		ON CONFLICT (rule) DO UPDATE SET rule = excluded.rule RETURNING id`
	sqlRuleStatePut = `INSERT INTO rule_state (rule_id, key, used, state) VALUES (?, ?, ?, ?)
		ON CONFLICT (rule_id, key) DO UPDATE SET used = excluded.used, state = excluded.state`
	sqlRuleStateDelete = `DELETE FROM rule_state WHERE rule_id = ? AND key = ?`
)

// storeRuleState writes the rule states of a batch in its transaction, in
// their order: each key's row is replaced, or deleted when its state is
// nil.
func (s *Store) storeRuleState(ctx context.Context, tx *sql.Tx, states []incidents.RuleKeyState) error {
	var ids map[string]int64
	for _, st := range states {
		id, ok := ids[st.Rule]
		if !ok {
			if err := s.queryRow(ctx, tx, sqlRuleStateRule, st.Rule).Scan(&id); err != nil {
				return err
			}
			if ids == nil {
				ids = map[string]int64{}
			}
			ids[st.Rule] = id
		}
		var err error
		if st.State == nil {
			_, err = s.exec(ctx, tx, sqlRuleStateDelete, id, st.Key)
		} else {
			_, err = s.exec(ctx, tx, sqlRuleStatePut, id, st.Key, st.Used, st.State)
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
	}, `SELECT r.rule, s.key, s.used, s.state FROM rule_state s JOIN rule_state_rules r ON r.id = s.rule_id ORDER BY s.used`)
}

// KeepRuleState deletes the state of every rule not in keep (rules whose
// detection changed or that are gone): it means nothing to the rules in
// force.
func (s *Store) KeepRuleState(ctx context.Context, keep []string) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		gone := `SELECT id FROM rule_state_rules`
		args := make([]any, len(keep))
		if len(keep) > 0 {
			gone += ` WHERE rule NOT IN (?` + strings.Repeat(`, ?`, len(keep)-1) + `)`
			for i, k := range keep {
				args[i] = k
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM rule_state WHERE rule_id IN (`+gone+`)`, args...); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM rule_state_rules WHERE id IN (`+gone+`)`, args...)
		return err
	})
}
