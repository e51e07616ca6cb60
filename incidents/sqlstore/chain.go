package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/breachd/breachd/incidents"
)

// head returns the last entry of a chain.
func head(ctx context.Context, q queryer, chain string) (int64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM chain_heads WHERE chain = ?`, chain).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, incidents.GenesisHash, nil
	}
	return seq, hash, err
}

// headTx is head through the statement cache.
func (s *Store) headTx(ctx context.Context, tx *sql.Tx, chain string) (int64, string, error) {
	var seq int64
	var hash string
	err := s.queryRow(ctx, tx, sqlHead, chain).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, incidents.GenesisHash, nil
	}
	return seq, hash, err
}

func (s *Store) setHead(ctx context.Context, tx *sql.Tx, chain string, seq int64, hash string) error {
	_, err := s.exec(ctx, tx, sqlSetHead, chain, seq, hash)
	return err
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appendTimeline links e into the timeline chain and stores it.
func (s *Store) appendTimeline(ctx context.Context, tx *sql.Tx, e incidents.TimelineEntry) (incidents.TimelineEntry, error) {
	seq, prev, err := s.headTx(ctx, tx, incidents.ChainTimeline)
	if err != nil {
		return e, err
	}
	e.Seq = seq + 1
	e.At = e.At.UTC()
	e.ContentHash = incidents.TimelineContentHash(e)
	e.PrevHash = prev
	e.Hash = incidents.TimelineHash(e.Seq, prev, e.ContentHash, e.IncidentID, e.At)
	data := "{}"
	if len(e.Data) > 0 {
		if data, err = jsonString(e.Data); err != nil {
			return e, err
		}
	}
	err = s.queryRow(ctx, tx,
		sqlInsertTimeline,
		e.IncidentID, nanos(e.At), e.Actor, e.Kind, e.Message, e.Seq, data, e.Supersedes, e.ContentHash, e.PrevHash, e.Hash).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	return e, s.setHead(ctx, tx, incidents.ChainTimeline, e.Seq, e.Hash)
}

// addEntry appends to incident id's timeline an entry the incidents
// package worded: the store writes no words of its own.
func (s *Store) addEntry(ctx context.Context, tx *sql.Tx, id int64, at time.Time, actor string, e incidents.Entry) error {
	_, err := s.appendTimeline(ctx, tx, incidents.TimelineEntry{IncidentID: id, At: at, Actor: actor, Kind: e.Kind, Message: e.Message, Data: e.Data})
	return err
}

// appendRegister links e into the register chain and stores it.
func (s *Store) appendRegister(ctx context.Context, tx *sql.Tx, e incidents.RegisterEntry) (incidents.RegisterEntry, error) {
	seq, prev, err := s.headTx(ctx, tx, incidents.ChainRegister)
	if err != nil {
		return e, err
	}
	e.Seq = seq + 1
	e.At = e.At.UTC()
	if e.Record.DataCategories == nil {
		e.Record.DataCategories = []string{}
	}
	e.ContentHash = incidents.RegisterContentHash(e)
	e.PrevHash = prev
	e.Hash = incidents.ChainHash(incidents.ChainRegister, e.Seq, prev, e.ContentHash)
	rec, err := jsonString(e.Record)
	if err != nil {
		return e, err
	}
	err = s.queryRow(ctx, tx,
		sqlInsertRegister,
		e.Seq, nanos(e.At), e.IncidentID, e.Kind, e.Actor, rec, e.Supersedes, e.ContentHash, e.PrevHash, e.Hash).Scan(&e.ID)
	if err != nil {
		return e, err
	}
	return e, s.setHead(ctx, tx, incidents.ChainRegister, e.Seq, e.Hash)
}
