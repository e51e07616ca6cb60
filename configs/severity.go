package configs

import (
	"fmt"
	"strings"
)

// Severity ranks findings and incidents.
type Severity int

// Severities from least to most severe.
const (
	SeverityInfo Severity = iota
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// String returns the severity's config name.
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityLow:
		return "low"
	case SeverityMedium:
		return "medium"
	case SeverityHigh:
		return "high"
	case SeverityCritical:
		return "critical"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity parses a severity name as written in a config.
func ParseSeverity(s string) (Severity, error) {
	names := make([]string, 0, 5)
	for _, sev := range Severities() {
		if s == sev.String() {
			return sev, nil
		}
		names = append(names, sev.String())
	}
	return DefaultSeverity, fmt.Errorf("%q is not a severity; use one of %s", s, strings.Join(names, ", "))
}

// Severities lists every severity, least severe first.
func Severities() []Severity {
	return []Severity{SeverityInfo, SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical}
}
