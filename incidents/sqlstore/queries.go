package sqlstore

// The statements of every commit (findings, progress, chain appends),
// prepared once at Open so that a commit does not parse SQL.
const (
	sqlAttach = `UPDATE incidents SET finding_count = finding_count + ?, last_seen = max(last_seen, ?), updated_at = ?
		WHERE id = coalesce(
		(SELECT id FROM incidents WHERE fingerprint = ? AND status NOT IN ('closed', 'false_positive')),
		(SELECT m.incident_id FROM merged_fingerprints m JOIN incidents t ON t.id = m.incident_id
		WHERE m.fingerprint = ? AND t.status NOT IN ('closed', 'false_positive')))
		RETURNING id`
	sqlLastClosed = `SELECT id, closed_at FROM incidents WHERE fingerprint = ? AND status = 'closed' AND merged_into IS NULL
		ORDER BY id DESC LIMIT 1`
	sqlReopen = `UPDATE incidents SET status = 'open', closed_at = NULL, reopened = reopened + 1,
		finding_count = finding_count + ?, last_seen = max(last_seen, ?), updated_at = ? WHERE id = ?`
	sqlInsertIncident = `INSERT INTO incidents (fingerprint, rule, group_key, title, category, severity, status, fields, evidence,
		finding_count, first_seen, last_seen, detected_at, origin, reporter, description, host, occurred_at,
		aware_at, updated_at, risk, suggested_risk, scope, cost_exposure, currency)
		VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	sqlInsertEvidence  = `INSERT INTO evidence (incident_id, at, line) VALUES (?, ?, ?)`
	sqlCountEvidence   = `SELECT count(*) FROM evidence WHERE incident_id = ?`
	sqlEvidenceDropped = `UPDATE incidents SET evidence_dropped = evidence_dropped + 1 WHERE id = ?`
	sqlInsertActionRun = `INSERT INTO action_runs (incident_id, action, fields, state, result, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)`
	sqlInsertEntity    = `INSERT OR IGNORE INTO incident_entities (kind, value, incident_id) VALUES (?, ?, ?)`
	sqlInsertLink      = `INSERT OR IGNORE INTO incident_links (a, b, kind, value, at) VALUES (?, ?, ?, ?, ?)`
	// sqlPeers lists the incidents nearest to incident ?3 that share the
	// entity (?1, ?2): up to ?4 opened before it and ?4 after, with when
	// the later of the two was detected (when the link came to be).
	sqlPeers = `SELECT p.incident_id, max(i.detected_at, ?5) FROM (
			SELECT incident_id FROM (SELECT incident_id FROM incident_entities
				WHERE kind = ?1 AND value = ?2 AND incident_id < ?3 ORDER BY incident_id DESC LIMIT ?4)
			UNION ALL
			SELECT incident_id FROM (SELECT incident_id FROM incident_entities
				WHERE kind = ?1 AND value = ?2 AND incident_id > ?3 ORDER BY incident_id LIMIT ?4)
		) p JOIN incidents i ON i.id = p.incident_id`
	// sqlInsertMessage's last three are the obligation whose notice the
	// message carries (NULL for a page), its subject and its body.
	sqlInsertMessage = `INSERT INTO outbox (incident_id, channel, route, event, idempotency_key, next_attempt_at, created_at, obligation_id, subject, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING`
	sqlHead    = `SELECT seq, hash FROM chain_heads WHERE chain = ?`
	sqlSetHead = `INSERT INTO chain_heads (chain, seq, hash) VALUES (?, ?, ?)
		ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`
	sqlInsertTimeline = `INSERT INTO timeline (incident_id, at, actor, kind, message, seq, data, supersedes, content_hash, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	sqlInsertRegister = `INSERT INTO register (seq, at, incident_id, kind, actor, record, supersedes, content_hash, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	sqlFilePosition = `INSERT INTO file_positions (path, dev, ino, offset, fp_len, fp_sha256, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (path) DO UPDATE SET dev = excluded.dev, ino = excluded.ino, offset = excluded.offset,
		fp_len = excluded.fp_len, fp_sha256 = excluded.fp_sha256, updated_at = excluded.updated_at`
	sqlSourceCursor = `INSERT INTO source_cursors (source, cursor, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`
)

// hotQueries lists the prepared statements.
func hotQueries() []string {
	return []string{
		sqlAttach,
		sqlLastClosed,
		sqlReopen,
		sqlInsertIncident,
		sqlInsertEvidence,
		sqlCountEvidence,
		sqlEvidenceDropped,
		sqlInsertActionRun,
		sqlInsertEntity,
		sqlInsertLink,
		sqlInsertMessage,
		sqlHead,
		sqlSetHead,
		sqlInsertTimeline,
		sqlInsertRegister,
		sqlFilePosition,
		sqlSourceCursor,
		sqlRuleStateRule,
		sqlRuleStatePut,
		sqlRuleStateDelete,
	}
}

// The reads between an incident's commit and its block, prepared once on
// the readers (readQueries): they skip SQLite's parse and plan there.
const (
	sqlPendingActions = `SELECT ` + actionCols + ` FROM action_runs WHERE state = 'pending' ORDER BY id`
	sqlIncidentByID   = `SELECT ` + incidentCols + ` FROM incidents WHERE id = ?`
	// sqlOffenses counts a target's ended containments by an action and
	// says when its active one ends.
	sqlOffenses = `SELECT count(*) FILTER (WHERE state = 'reverted'), max(CASE WHEN state = 'active' THEN expires_at END)
		FROM containments WHERE action = ? AND target = ?`
)

// readQueries lists the readers' prepared statements.
func readQueries() []string {
	return []string{sqlPendingActions, sqlIncidentByID, sqlOffenses}
}
