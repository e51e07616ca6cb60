package daemon

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/breachd/breachd/incidents"
	"github.com/breachd/breachd/rules"
)

// ruleStateStore is what the daemon needs of the store to keep the rules'
// state across restarts; the detector's batches write it (incidents.Progress).
type ruleStateStore interface {
	RuleState(ctx context.Context) ([]incidents.RuleKeyState, error)
	KeepRuleState(ctx context.Context, keep []string) error
}

// restoreRuleState makes engine record the state its events change and
// gives it the state committed by the previous process: the windows,
// sequence attempts and silences that the lines up to the committed
// positions left. The state of rules that are gone or whose detection
// changed is deleted.
func restoreRuleState(ctx context.Context, store ruleStateStore, engine *rules.Engine, logger *slog.Logger) error {
	engine.TrackChanges()
	stored, err := store.RuleState(ctx)
	if err != nil {
		return fmt.Errorf("read the rules' state: %w", err)
	}
	states := make([]rules.KeyState, len(stored))
	for i, st := range stored {
		states[i] = rules.KeyState{Rule: st.Rule, Key: st.Key, Used: st.Used, State: st.State}
	}
	n, err := engine.Import(states)
	if err != nil {
		// A row that does not decode loses that key's state only.
		logger.Warn("some of the rules' stored state is skipped", "err", err)
	}
	if n > 0 {
		logger.Info("rules' state restored", "keys", n)
	}
	if err := store.KeepRuleState(ctx, engine.StateKeys()); err != nil {
		return fmt.Errorf("drop the state of changed rules: %w", err)
	}
	return nil
}

// ruleStatesToStore converts the detector's rule states to the store's.
func ruleStatesToStore(in []rules.KeyState) []incidents.RuleKeyState {
	if len(in) == 0 {
		return nil
	}
	out := make([]incidents.RuleKeyState, len(in))
	for i, st := range in {
		out[i] = incidents.RuleKeyState{Rule: st.Rule, Key: st.Key, Used: st.Used, State: st.State}
	}
	return out
}
