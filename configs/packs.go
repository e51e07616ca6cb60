package configs

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// packs are the shipped rule packs (configs/rules), built into the binary
// so that breachd replay works with no config.
//
//go:embed rules/*.hcl
var packs embed.FS

// LoadPacks returns the shipped rule packs with the sources they read
// (rules/sources.hcl), as one config. Test files are left out.
func LoadPacks() (*Config, hcl.Diagnostics) {
	entries, err := fs.Glob(packs, "rules/*.hcl")
	if err != nil {
		return &Config{Files: map[string]*hcl.File{}}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot list the rule packs", Detail: err.Error()}}
	}
	sort.Slice(entries, func(i, j int) bool {
		// sources.hcl first, so its sources are declared before the
		// rules that read them are reported on.
		if a, b := path.Base(entries[i]) == "sources.hcl", path.Base(entries[j]) == "sources.hcl"; a != b {
			return a
		}
		return entries[i] < entries[j]
	})
	var names []string
	var srcs [][]byte
	for _, e := range entries {
		if strings.HasSuffix(e, "_test.hcl") {
			continue
		}
		b, err := packs.ReadFile(e)
		if err != nil {
			return &Config{Files: map[string]*hcl.File{}}, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read a rule pack", Detail: err.Error()}}
		}
		names = append(names, "packs/"+path.Base(e))
		srcs = append(srcs, b)
	}
	return ParseFiles(names, srcs, "/")
}
