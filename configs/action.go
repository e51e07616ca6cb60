package configs

import (
	"fmt"
	"net/url"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
)

type actionBlock struct {
	Kind      string    `hcl:"kind,label"`
	Name      string    `hcl:"name,label"`
	KindRange hcl.Range `hcl:"kind,label_range"`
	NameRange hcl.Range `hcl:"name,label_range"`
	DefRange  hcl.Range `hcl:",def_range"`
	Body      hcl.Body  `hcl:",remain"`
}

type execBody struct {
	Argv         hcl.Expression `hcl:"argv"`
	Timeout      *string        `hcl:"timeout,optional"`
	TimeoutRange hcl.Range      `hcl:"timeout,attr_value_range"`
}

type webhookBody struct {
	URL          string    `hcl:"url"`
	URLRange     hcl.Range `hcl:"url,attr_value_range"`
	Timeout      *string   `hcl:"timeout,optional"`
	TimeoutRange hcl.Range `hcl:"timeout,attr_value_range"`
}

func decodeAction(b *actionBlock) (*Action, hcl.Diagnostics) {
	a := &Action{Kind: ActionKind(b.Kind), Name: b.Name, Timeout: DefaultActionTimeout, NameRange: b.NameRange, DeclRange: b.DefRange}
	var diags hcl.Diagnostics
	timeout := func(s *string, rng hcl.Range) {
		if s == nil {
			return
		}
		d, diag := parseDuration("timeout", *s, rng)
		if diag != nil {
			diags = append(diags, diag)
			return
		}
		a.Timeout = d
	}
	switch a.Kind {
	case KindExec:
		var body execBody
		if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
			return nil, d
		}
		timeout(body.Timeout, body.TimeoutRange)
		e, d := decodeArgv(body.Argv)
		diags = append(diags, d...)
		a.Exec = e
	case KindWebhook:
		var body webhookBody
		if d := gohcl.DecodeBody(b.Body, nil, &body); d.HasErrors() {
			return nil, d
		}
		timeout(body.Timeout, body.TimeoutRange)
		if body.URL != "" {
			u, err := url.Parse(body.URL)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid webhook URL",
					Detail:   fmt.Sprintf("%q is not an http:// or https:// URL with a host; write e.g. url = \"https://hooks.example.com/breachd\", or url = \"\" to leave the webhook unconfigured.", body.URL),
					Subject:  body.URLRange.Ptr(),
				})
			}
		}
		a.Webhook = &WebhookAction{URL: body.URL, URLRange: body.URLRange}
	default:
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported action kind",
			Detail:   fmt.Sprintf("Action kind %q is not known; use %q or %q.", b.Kind, KindExec, KindWebhook),
			Subject:  b.KindRange.Ptr(),
		}}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return a, diags
}

func decodeArgv(expr hcl.Expression) (*ExecAction, hcl.Diagnostics) {
	elems, diags := hcl.ExprList(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	e := &ExecAction{ArgvRange: expr.Range()}
	if len(elems) == 0 {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Empty argv",
			Detail:   "argv lists the program and its arguments, e.g. argv = [\"/usr/bin/touch\", \"blocked-${ip}\"].",
			Subject:  expr.Range().Ptr(),
		}}
	}
	for i, el := range elems {
		t, d := NewTemplate(el)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		if i == 0 {
			prog, _ := t.Render(nil)
			if !t.IsLiteral() || !filepath.IsAbs(prog) {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Program must be an absolute path",
					Detail:   "argv[0] names the program to run as a literal absolute path, e.g. \"/usr/bin/touch\"; breachd never searches PATH and never runs a shell.",
					Subject:  el.Range().Ptr(),
				})
				continue
			}
		}
		e.Argv = append(e.Argv, t)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return e, diags
}
