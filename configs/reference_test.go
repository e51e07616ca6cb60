package configs

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// TestReferenceCoversEveryAttribute: every block and attribute the loader
// accepts is documented, in docs/configuration.md or the guide it links
// for that part (actions, notifications, sources, rules, incidents), as
// `name` or in an example as name = ...
func TestReferenceCoversEveryAttribute(t *testing.T) {
	var docs strings.Builder
	for _, f := range []string{"configuration", "actions", "notifications", "sources", "rules", "incidents"} {
		b, err := os.ReadFile("../docs/" + f + ".md")
		if err != nil {
			t.Fatal(err)
		}
		docs.Write(b)
	}
	text := docs.String()
	roots := map[string]any{
		"":                fileSchema{},
		"source file":     fileSourceBody{},
		"source journald": journaldBody{},
		"source scrape":   metricsBody{},
		"source syslog":   syslogBody{},
		"action":          commonBody{},
		"action exec":     execBody{},
		"action webhook":  webhookBody{},
		"action nftables": nftablesBody{},
		"action account":  accountBody{},
		"action systemd":  systemdBody{},
		"action process":  processBody{},
	}
	seen := map[reflect.Type]bool{}
	var walk func(path string, typ reflect.Type)
	walk = func(path string, typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag, ok := f.Tag.Lookup("hcl")
			if !ok {
				if f.Anonymous {
					walk(path, f.Type)
				}
				continue
			}
			name, kind, _ := strings.Cut(tag, ",")
			switch kind {
			case "block":
				if !documented(text, name, true) {
					t.Errorf("block %s %s is not documented", path, name)
				}
				walk(strings.TrimSpace(path+" "+name), f.Type)
			case "", "attr", "optional":
				if !documented(text, name, false) {
					t.Errorf("attribute %s.%s is not documented", path, name)
				}
			}
		}
	}
	for path, v := range roots {
		walk(path, reflect.TypeOf(v))
	}
}

// documented reports whether the docs show name as `name`, in an example
// (name = or name {), or as a block heading.
func documented(text, name string, block bool) bool {
	if strings.Contains(text, "`"+name+"`") || strings.Contains(text, "`"+name+" ") {
		return true
	}
	re := `(?m)^\s*` + regexp.QuoteMeta(name) + `\s*=`
	if block {
		re = `(?m)^\s*` + regexp.QuoteMeta(name) + `\s*("[^"]*"\s*)*\{`
	}
	return regexp.MustCompile(re).MatchString(text)
}
