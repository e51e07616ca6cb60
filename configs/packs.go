package configs

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// packs are the shipped rule packs (configs/rules), built into the binary
// so that breachd replay works with no config.
//
//go:embed rules/*.hcl policies/*.hcl templates/*.tmpl
var packs embed.FS

// NoticeTemplate returns the text of the notice form name: the
// organisation's templates_dir's NAME.tmpl when it has one, else the
// shipped form.
func (c *Config) NoticeTemplate(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("%q is not a template name", name)
	}
	if dir := c.Organisation.TemplatesDir; dir != "" {
		if b, err := os.ReadFile(filepath.Join(dir, name+".tmpl")); err == nil {
			return string(b), nil
		}
	}
	b, err := packs.ReadFile("templates/" + name + ".tmpl")
	if err != nil {
		return "", fmt.Errorf("no notice template %q (shipped: %s; or put %s.tmpl in organisation { templates_dir })",
			name, strings.Join(NoticeTemplates(), ", "), name)
	}
	return string(b), nil
}

// NoticeTemplates lists the shipped notice forms by name.
func NoticeTemplates() []string { return embedded("templates/*.tmpl", ".tmpl") }

// PolicyPacks lists the shipped policy packs by name.
func PolicyPacks() []string { return embedded("policies/*.hcl", ".hcl") }

// embedded lists the names of the shipped files matching pattern, sorted,
// without their suffix.
func embedded(pattern, suffix string) []string {
	entries, _ := fs.Glob(packs, pattern)
	out := make([]string, 0, len(entries))
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(path.Base(e), suffix))
	}
	sort.Strings(out)
	return out
}

// meant is " Did you mean "x"?" for a known name close to name, or "".
func meant(name string, known []string) string {
	if c := closest(name, known); c != "" {
		return fmt.Sprintf(" Did you mean %q?", c)
	}
	return ""
}

// loadPolicyPack decodes the policy blocks of a shipped pack into c.
func (c *Config) loadPolicyPack(name string, rng hcl.Range) hcl.Diagnostics {
	src, err := packs.ReadFile("policies/" + name + ".hcl")
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unknown policy pack",
			Detail:   fmt.Sprintf("%q is not a shipped policy pack.%s The packs are %s. Or write your own policy block.", name, meant(name, PolicyPacks()), strings.Join(PolicyPacks(), ", ")),
			Subject:  rng.Ptr(),
		}}
	}
	filename := "policies/" + name + ".hcl"
	f, diags := hclsyntax.ParseConfig(src, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}
	c.Files[filename] = f
	var raw struct {
		Policies []*policyBlock `hcl:"policy,block"`
	}
	if d := gohcl.DecodeBody(f.Body, nil, &raw); d.HasErrors() {
		return d
	}
	for _, b := range raw.Policies {
		if c.PolicyByName(b.Name) != nil {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Policy declared twice",
				Detail:   fmt.Sprintf("Policy %q comes from the shipped pack %s and is declared in the config too; keep one (copy the pack to change it).", b.Name, name),
				Subject:  rng.Ptr(),
			}}
		}
	}
	return c.decodePolicies(raw.Policies)
}

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
