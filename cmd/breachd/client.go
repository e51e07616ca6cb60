package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/breachd/breachd/cmd/breachd/internal/httpapi"
	"github.com/breachd/breachd/configs"
)

// baseURL finds the API: --server, else the listen address of the config's
// server block (--config, else the default path), else the default address.
func (c *clientFlags) baseURL() (string, error) {
	if c.server != "" {
		u, err := url.Parse(c.server)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("--server %q is not an http:// or https:// URL", c.server)
		}
		return strings.TrimRight(c.server, "/"), nil
	}
	path := c.config
	if path == "" {
		path = configs.DefaultPath
		if _, err := os.Stat(path); err != nil {
			return "http://" + configs.DefaultListen, nil
		}
	}
	cfg, diags := configs.LoadFile(path)
	if diags.HasErrors() {
		return "", fmt.Errorf("cannot read the server address from %s: %s", path, diagText(diags))
	}
	host, port, err := net.SplitHostPort(cfg.Server.Listen)
	if err != nil {
		return "", err
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	scheme := "http"
	if cfg.Server.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + net.JoinHostPort(host, port), nil
}

// do sends one request and decodes the answer into v; raw is the body.
func (c *clientFlags) do(ctx context.Context, method, path string, body, v any) ([]byte, error) {
	base, err := c.baseURL()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var rd io.Reader
	ctype := "application/json"
	if rb, ok := body.(rawBody); ok {
		rd, ctype = bytes.NewReader(rb.data), rb.ctype
	} else if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", ctype)
	}
	token := c.token
	if token == "" {
		token = os.Getenv("BREACHD_TOKEN")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := http.DefaultClient
	if c.cacert != "" {
		pem, err := os.ReadFile(c.cacert)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--cacert %s holds no PEM certificate", c.cacert)
		}
		client = &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w (is breachd running? name its API with --server or --config)", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		var e httpapi.Error
		if json.Unmarshal(raw, &e) == nil && e.Message != "" {
			// The message may already begin with its code (the store's
			// errors wrap "conflict", "forbidden", ...): said once.
			return nil, fmt.Errorf("%s: %s", e.Code, strings.TrimPrefix(e.Message, e.Code+": "))
		}
		return nil, fmt.Errorf("%s %s: HTTP %d", method, base+path, resp.StatusCode)
	}
	return raw, json.Unmarshal(raw, v)
}
