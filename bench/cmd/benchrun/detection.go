package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/breachd/breachd/configs"
)

// The detection benchmark: recall and false matches of the shipped packs
// on fail2ban's annotated sample logs (data nobody here wrote), side by
// side with fail2ban-regex and fail2ban's stock filters on the same lines.
//
// fail2ban's own test (fail2ban/tests/samplestestcase.py) reads a sample
// so, and so does this:
//   - "# failJSON: {…}" belongs to the next line of the file, whatever it
//     is; "match": true makes it a failure whose address is "host";
//     "match": false, or a line with no annotation, must not match;
//     "desc" is a comment; "constraint" is a Python condition on the
//     filter's options (opts) and the sample's name (name): the line is
//     not tested where it is false.
//   - "# filterOptions: {…}" or "[{…}, …]" starts a section whose lines are
//     tested with each of those option sets; "test.condition" skips the
//     section where false; "test.*" keys are not filter options.
//   - "# fileOptions" are merged into every option set; "# addFILE" reads
//     another sample after this one (sshd's adds its journal form, which
//     breachd reads through a journald source, not a file: not scored).
//
// Only the sections a stock jail reports in its default mode are scored: a
// section counts when one of its option sets is the jail's default (no
// mode, or the jail's mode, and the file log type). The other sections'
// lines stay in the file both tools read (a real log has them too) but are
// not counted either way.

// detectionService is one fail2ban sample read as a stock jail reads it.
type detectionService struct {
	name    string // the row's name: the jail
	sample  string // file under fail2ban's tests/files/logs
	logPath string // where Debian writes this log: the name breachd reads it under
	filter  string // fail2ban-regex's filter argument: the stock filter in the jail's default mode
	mode    string // the jail's mode ("" when the filter has none)
	// filterMode is the filter's own default mode, the one a section
	// with no mode is tested in.
	filterMode string
	// rules are the shipped rules that do this jail's job: a match of
	// another (sshd-preauth-flood does what the jail's "ddos" mode does)
	// is neither a find nor a false match here.
	rules []string
	// notDefault marks a row of a mode no stock jail runs in by default,
	// shown for comparison and left out of the total.
	notDefault bool
	// pamPath, when set, is where breachd reads the sample's PAM lines
	// (pam_unix's, which syslog writes to the auth log on Debian): a
	// sample of a server's log (vsftpd's own, the ftp facility's) that
	// also holds them. fail2ban's filter reads them all from logPath.
	pamPath string
	// accessLog, when set, is where the sample's access-log lines (the
	// combined format) go: the sample mixes the two logs the jail's filter
	// reads (nginx-botsearch), and breachd reads each under its own name.
	// fail2ban-regex reads the sample as one file, as the jail's filter does.
	accessLog string
	// alsoAs are other logs the service writes the same lines to,
	// depending on its configuration, when the sample mixes them
	// (roundcube's errors.log or syslog): breachd replays the sample as
	// each too, and a line counts as found when a reading finds it.
	alsoAs []string
}

// detectionServices are the samples of the services breachd ships packs
// for (docs/rules.md "Shipped rule packs"), with Debian's log names and
// the stock jails of /etc/fail2ban/jail.conf.
var detectionServices = []detectionService{
	{name: "sshd", sample: "sshd", logPath: "var/log/auth.log", filter: "sshd[mode=normal]", mode: "normal", filterMode: "normal", rules: sshdRules},
	{name: "sshd, ddos mode (not a default)", sample: "sshd", logPath: "var/log/auth.log", filter: "sshd[mode=ddos]", mode: "ddos", filterMode: "normal", rules: []string{"sshd-preauth-flood"}, notDefault: true},
	{name: "dovecot", sample: "dovecot", logPath: "var/log/mail.log", filter: "dovecot[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"dovecot-auth-failures"}},
	{name: "postfix", sample: "postfix", logPath: "var/log/mail.log", filter: "postfix[mode=more]", mode: "more", filterMode: "more", rules: []string{"postfix-rejects"}},
	{name: "postfix, ddos mode (not a default)", sample: "postfix", logPath: "var/log/mail.log", filter: "postfix[mode=ddos]", mode: "ddos", filterMode: "more", rules: []string{"postfix-connection-flood"}, notDefault: true},
	{name: "postfix-sasl", sample: "postfix", logPath: "var/log/mail.log", filter: "postfix[mode=auth]", mode: "auth", filterMode: "more", rules: []string{"postfix-sasl-failures"}},
	{name: "exim", sample: "exim", logPath: "var/log/exim4/mainlog", filter: "exim[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"exim-auth-failures", "exim-rejects"}},
	{name: "exim-spam", sample: "exim-spam", logPath: "var/log/exim4/mainlog", filter: "exim-spam", rules: []string{"exim-spam", "exim-spam-accepted"}},
	{name: "roundcube-auth", sample: "roundcube-auth", logPath: "var/log/roundcube/errors.log", filter: "roundcube-auth", rules: []string{"roundcube-auth-failures", "roundcube-syslog-auth-failures"}, alsoAs: []string{"var/log/syslog"}},
	{name: "courier-auth", sample: "courier-auth", logPath: "var/log/mail.log", filter: "courier-auth", rules: []string{"courier-auth-failures"}},
	{name: "courier-smtp", sample: "courier-smtp", logPath: "var/log/mail.log", filter: "courier-smtp", rules: []string{"courier-smtp-failures"}},
	{name: "sendmail-auth", sample: "sendmail-auth", logPath: "var/log/mail.log", filter: "sendmail-auth", rules: []string{"sendmail-auth-failures"}},
	{name: "cyrus-imap", sample: "cyrus-imap", logPath: "var/log/mail.log", filter: "cyrus-imap", rules: []string{"cyrus-imap-auth-failures"}},
	{name: "sendmail-reject", sample: "sendmail-reject", logPath: "var/log/mail.log", filter: "sendmail-reject[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"sendmail-rejects"}},
	{name: "mysqld-auth", sample: "mysqld-auth", logPath: "var/log/mysql/error.log", filter: "mysqld-auth", rules: []string{"mysql-auth-failures"}},
	{name: "pam-generic", sample: "pam-generic", logPath: "var/log/auth.log", filter: "pam-generic", rules: []string{"pam-auth-failures"}},
	{name: "proftpd", sample: "proftpd", logPath: "var/log/proftpd/proftpd.log", filter: "proftpd", rules: []string{"proftpd-auth-failures"}},
	{name: "vsftpd", sample: "vsftpd", logPath: "var/log/vsftpd.log", pamPath: "var/log/auth.log", filter: "vsftpd", rules: []string{"vsftpd-auth-failures", "pam-auth-failures"}},
	{name: "pure-ftpd", sample: "pure-ftpd", logPath: "var/log/syslog", filter: "pure-ftpd", rules: []string{"pure-ftpd-auth-failures"}},
	{name: "wuftpd", sample: "wuftpd", logPath: "var/log/syslog", pamPath: "var/log/auth.log", filter: "wuftpd", rules: []string{"wuftpd-auth-failures", "pam-auth-failures"}},
	// Debian 12's rsyslog writes the daemon facility to /var/log/syslog
	// only (fail2ban's paths-debian.conf still names daemon.log).
	{name: "gssftpd", sample: "gssftpd", logPath: "var/log/syslog", filter: "gssftpd", rules: []string{"gssftpd-auth-failures"}},
	{name: "grafana", sample: "grafana", logPath: "var/log/grafana/grafana.log", filter: "grafana", rules: []string{"grafana-auth-failures"}},
	{name: "webmin-auth", sample: "webmin-auth", logPath: "var/log/auth.log", filter: "webmin-auth", rules: []string{"webmin-auth-failures"}},
	{name: "phpmyadmin-syslog", sample: "phpmyadmin-syslog", logPath: "var/log/auth.log", filter: "phpmyadmin-syslog", rules: []string{"phpmyadmin-auth-failures"}},
	// Drupal's syslog module logs to LOG_LOCAL0 by default, which Debian's
	// rsyslog writes to /var/log/syslog (the jail's daemon.log gets only
	// the daemon facility).
	{name: "drupal-auth", sample: "drupal-auth", logPath: "var/log/syslog", filter: "drupal-auth", rules: []string{"drupal-auth-failures"}},
	{name: "gitlab", sample: "gitlab", logPath: "var/log/gitlab/gitlab-rails/application.log", filter: "gitlab", rules: []string{"gitlab-auth-failures"}},
	{name: "bitwarden", sample: "bitwarden", logPath: "opt/bitwarden/bwdata/logs/identity/Identity/log.txt", filter: "bitwarden", rules: []string{"bitwarden-auth-failures"}},
	{name: "guacamole", sample: "guacamole", logPath: "var/log/tomcat9/catalina.out", filter: "guacamole", rules: []string{"guacamole-auth-failures"}},
	{name: "named-refused", sample: "named-refused", logPath: "var/log/named/security.log", filter: "named-refused", rules: []string{"named-refused"}},
	{name: "asterisk", sample: "asterisk", logPath: "var/log/asterisk/messages", filter: "asterisk", rules: []string{"asterisk-auth-failures"}},
	{name: "squid", sample: "squid", logPath: "var/log/squid/access.log", filter: "squid", rules: []string{"squid-denied"}},
	{name: "haproxy-http-auth", sample: "haproxy-http-auth", logPath: "var/log/haproxy.log", filter: "haproxy-http-auth", rules: []string{"haproxy-auth-failures"}},
	{name: "freeswitch", sample: "freeswitch", logPath: "var/log/freeswitch.log", filter: "freeswitch", mode: "extra", filterMode: "extra", rules: []string{"freeswitch-auth-failures", "freeswitch-auth-challenges"}},
	{name: "nsd", sample: "nsd", logPath: "var/log/nsd.log", filter: "nsd", rules: []string{"nsd-refused", "nsd-ratelimit-any"}},
	{name: "traefik-auth", sample: "traefik-auth", logPath: "var/log/traefik/access.log", filter: "traefik-auth[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"traefik-auth-failures"}},
	{name: "apache-auth", sample: "apache-auth", logPath: "var/log/apache2/error.log", filter: "apache-auth[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"apache-auth-failures"}},
	{name: "apache-noscript", sample: "apache-noscript", logPath: "var/log/apache2/error.log", filter: "apache-noscript", rules: []string{"apache-script-probes"}},
	{name: "apache-overflows", sample: "apache-overflows", logPath: "var/log/apache2/error.log", filter: "apache-overflows", rules: []string{"apache-request-overflows"}},
	{name: "apache-nohome", sample: "apache-nohome", logPath: "var/log/apache2/error.log", filter: "apache-nohome", rules: []string{"apache-home-probes"}},
	{name: "apache-botsearch", sample: "apache-botsearch", logPath: "var/log/apache2/error.log", filter: "apache-botsearch", rules: []string{"apache-botsearch"}},
	{name: "apache-modsecurity", sample: "apache-modsecurity", logPath: "var/log/apache2/error.log", filter: "apache-modsecurity", rules: []string{"apache-modsecurity-denials"}},
	{name: "apache-shellshock", sample: "apache-shellshock", logPath: "var/log/apache2/error.log", filter: "apache-shellshock", rules: []string{"apache-shellshock"}},
	{name: "nginx-http-auth", sample: "nginx-http-auth", logPath: "var/log/nginx/error.log", filter: "nginx-http-auth[mode=normal]", mode: "normal", filterMode: "normal", rules: []string{"nginx-auth-failures"}},
	{name: "nginx-limit-req", sample: "nginx-limit-req", logPath: "var/log/nginx/error.log", filter: "nginx-limit-req", rules: []string{"nginx-limit-req"}},
	{name: "nginx-botsearch", sample: "nginx-botsearch", logPath: "var/log/nginx/error.log", accessLog: "var/log/nginx/access.log", filter: "nginx-botsearch", rules: []string{"nginx-botsearch", "web-botsearch"}},
	{name: "nginx-bad-request", sample: "nginx-bad-request", logPath: "var/log/nginx/access.log", filter: "nginx-bad-request", rules: []string{"web-bad-requests"}},
	{name: "apache-badbots", sample: "apache-badbots", logPath: "var/log/apache2/access.log", filter: "apache-badbots", rules: []string{"web-bad-bots"}},
}

// pamLine is a line of pam_unix through syslog: its own tag (0.7x
// "SERVICE(pam_unix)[N]:") or the service's, with its prefix.
var pamLine = regexp.MustCompile(`^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \S+ (?:\S*\(pam_unix\)\S*: |\S+: (?:\(pam_unix\) |pam_unix[(:]))`)

// accessLine is a line in the combined log format: what a sample's
// access-log lines look like (detectionService.accessLog).
var accessLine = regexp.MustCompile(`^\S+ \S+ \S+ \[[^\]]+\] "`)

// sshdRules do the sshd jail's job in its default mode: failed logins.
var sshdRules = []string{"sshd-brute-force", "sshd-password-spraying", "sshd-root-login-refused"}

// f2bSamples is where Debian's fail2ban package installs the samples.
const f2bSamples = "/usr/lib/python3/dist-packages/fail2ban/tests/files/logs"

// sampleLine is one line of a sample as both tools read it.
type sampleLine struct {
	text   string // the line, as written to the log
	fileNo int    // its line number in the sample
	scored bool   // in a section of the jail's default mode, constraint true
	fail   bool   // annotated "match": true
	host   string // the annotation's address
	user   string // the annotation's user, if any
}

// readSample reads a fail2ban sample for a jail whose default options are
// mode (and the file log type).
func readSample(path, name, mode, filterMode string) ([]sampleLine, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []sampleLine
	var fileOpts map[string]any
	var sectionOpts map[string]any // the default option set of this section; nil: not scored
	if mode == filterMode {
		sectionOpts = map[string]any{} // before any filterOptions: the filter in its default mode
	}
	annot := regexp.MustCompile(`^#+ ?(failJSON|(?:file|filter)Options|addFILE):(.+)$`)
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		line := strings.TrimRight(lines[i], "\r")
		m := annot.FindStringSubmatch(line)
		var data map[string]any
		if m != nil {
			switch m[1] {
			case "fileOptions":
				if err := json.Unmarshal([]byte(m[2]), &fileOpts); err != nil {
					return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
				}
				continue
			case "addFILE":
				continue
			case "filterOptions":
				var sets []map[string]any
				raw := strings.TrimSpace(m[2])
				if strings.HasPrefix(raw, "[") {
					err = json.Unmarshal([]byte(raw), &sets)
				} else {
					var one map[string]any
					err = json.Unmarshal([]byte(raw), &one)
					sets = []map[string]any{one}
				}
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
				}
				sectionOpts = nil
				for _, s := range sets {
					opts := map[string]any{}
					for k, v := range fileOpts {
						opts[k] = v
					}
					for k, v := range s {
						opts[k] = v
					}
					if c, ok := opts["test.condition"].(string); ok {
						t, err := pyCondition(c, name, opts)
						if err != nil {
							return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
						}
						if !t {
							continue
						}
					}
					if isDefault(opts, mode, filterMode) {
						sectionOpts = opts
					}
				}
				continue
			}
			if err := json.Unmarshal([]byte(m[2]), &data); err != nil {
				return nil, fmt.Errorf("%s:%d: %v", path, i+1, err)
			}
			i++ // the annotation belongs to the next line
			if i >= len(lines) {
				break
			}
			line = strings.TrimRight(lines[i], "\r")
		} else if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		sl := sampleLine{text: line, fileNo: i + 1, scored: sectionOpts != nil}
		if sl.scored {
			if c, ok := data["constraint"].(string); ok {
				t, err := pyCondition(c, name, sectionOpts)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %v", path, i, err)
				}
				sl.scored = t
			}
		}
		if v, _ := data["match"].(bool); v {
			sl.fail = true
		}
		sl.host, _ = data["host"].(string)
		sl.user, _ = data["user"].(string)
		out = append(out, sl)
	}
	return out, nil
}

// isDefault says whether a section's option set is the stock jail's
// default: its mode (absent: the filter's default) and the file log type.
func isDefault(opts map[string]any, mode, filterMode string) bool {
	if _, ok := opts["mode"]; !ok && mode != filterMode {
		return false
	}
	for k, v := range opts {
		if strings.HasPrefix(k, "test.") {
			continue
		}
		s, _ := v.(string)
		switch k {
		case "mode":
			if s != mode {
				return false
			}
		case "logtype":
			if s != "file" {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// pyCondition evaluates the Python conditions the samples use: name ==
// 'x', opts.get('k') == 'v', and their != forms. Any other is an error,
// so a new form in a later fail2ban is noticed, not guessed.
var pyCond = regexp.MustCompile(`^\s*(name|opts\.get\('([^']+)'\))\s*(==|!=)\s*'([^']*)'\s*$`)

func pyCondition(c, name string, opts map[string]any) (bool, error) {
	m := pyCond.FindStringSubmatch(c)
	if m == nil {
		return false, fmt.Errorf("condition %q: not a form this benchmark knows", c)
	}
	left := name
	if m[2] != "" {
		left, _ = opts[m[2]].(string)
	}
	return (left == m[4]) == (m[3] == "=="), nil
}

// detectionRow is one service's figures.
type detectionRow struct {
	service          string
	failures         int // annotated failures scored
	hostNames        int // of which the annotation's address is a host name, not an IP
	breachdFound     int // with the annotation's address in ip
	f2bFound         int
	breachdFalse     int // scored lines not annotated as failures that a rule matched
	f2bFalse         int
	breachdInjected  int // an address from the line other than the annotated one captured
	f2bInjected      int
	breachdMissed    []sampleLine
	breachdFalseLine []sampleLine
	injectedLine     []string // which tool, and the line
}

func detection(o options, report io.Writer) error {
	// Like every peer, one that cannot run is skipped with the reason:
	// the samples come with fail2ban (bench/run installs it as root).
	f2b, err := exec.LookPath("fail2ban-regex")
	if err == nil {
		_, err = os.Stat(f2bSamples)
	}
	if err != nil {
		logf("detection skipped: needs Debian's fail2ban package (%v)", err)
		fmt.Fprintf(report, "### Detection on fail2ban's annotated samples\n\nskipped: needs Debian's fail2ban package (%v)\n\n", err)
		return nil
	}
	known, err := shippedRules()
	if err != nil {
		return err
	}
	for _, svc := range detectionServices {
		for _, r := range svc.rules {
			if !known[r] {
				return fmt.Errorf("detection: %s: no shipped rule %q", svc.name, r)
			}
		}
	}
	var rows []detectionRow
	var details bytes.Buffer
	for _, svc := range detectionServices {
		logf("detection: %s (%s as /%s)", svc.name, svc.sample, svc.logPath)
		lines, err := readSample(filepath.Join(f2bSamples, svc.sample), svc.sample, svc.mode, svc.filterMode)
		if err != nil {
			return err
		}
		dir := filepath.Join(o.work, "detection", svc.name)
		// The sample as one file for fail2ban, as the jail's filter reads
		// it; for breachd, split where the row says so: PAM lines to
		// pamPath (syslog writes them to the auth log), access-log lines
		// to accessLog, the rest to logPath. lineOf keeps each file's
		// lines' indexes in the sample.
		whole := filepath.Join(dir, "fail2ban", svc.logPath)
		own := filepath.Join(dir, "breachd", svc.logPath)
		bufs := map[string]*bytes.Buffer{whole: {}, own: {}}
		lineOf := map[string][]int{}
		for i, l := range lines {
			bufs[whole].WriteString(l.text)
			bufs[whole].WriteByte('\n')
			f := own
			switch {
			case svc.pamPath != "" && pamLine.MatchString(l.text):
				f = filepath.Join(dir, "breachd", svc.pamPath)
			case svc.accessLog != "" && accessLine.MatchString(l.text):
				f = filepath.Join(dir, "breachd", svc.accessLog)
			}
			if bufs[f] == nil {
				bufs[f] = &bytes.Buffer{}
			}
			bufs[f].WriteString(l.text)
			bufs[f].WriteByte('\n')
			lineOf[f] = append(lineOf[f], i)
		}
		// alsoAs: the whole sample again, as each other log the service
		// may write it to; a line is found when any reading finds it.
		for _, a := range svc.alsoAs {
			f := filepath.Join(dir, "breachd", a)
			bufs[f] = bytes.NewBuffer(bufs[whole].Bytes())
			for i := range lines {
				lineOf[f] = append(lineOf[f], i)
			}
		}
		argv := []string{o.breachd, "replay", "--matches"}
		for f, b := range bufs {
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
				return err
			}
			if f != whole {
				argv = append(argv, f)
			}
		}
		slices.Sort(argv[3:])
		// breachd: replay with the shipped packs, every match.
		m, err := measure(nil, o.work, argv...)
		if err != nil {
			return err
		}
		bd := map[int][]string{} // sample line index → addresses captured by attempt rules
		sc := bufio.NewScanner(bytes.NewReader(m.stdout))
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var ml struct {
				File   string            `json:"file"`
				Line   int               `json:"line"`
				Rule   string            `json:"rule"`
				Fields map[string]string `json:"fields"`
			}
			if err := json.Unmarshal(sc.Bytes(), &ml); err != nil {
				return fmt.Errorf("breachd replay --matches: %v: %s", err, sc.Text())
			}
			idx, ok := lineOf[ml.File]
			if !ok {
				return fmt.Errorf("breachd replay --matches: a match in %s, not a file of the sample", ml.File)
			}
			if !slices.Contains(svc.rules, ml.Rule) || ml.Line < 1 || ml.Line > len(idx) {
				continue
			}
			bd[idx[ml.Line-1]] = append(bd[idx[ml.Line-1]], ml.Fields["ip"])
		}
		// fail2ban: each failure as its address, then the lines it
		// matched, the last being the one that completed it.
		f, err := measure(nil, o.work, f2b, "-r", "-o", "@@F2B <ip>\n<matches>", whole, svc.filter)
		if err != nil {
			return err
		}
		fb, err := f2bFailures(f.stdout, lines)
		if err != nil {
			return fmt.Errorf("%s: %w", svc.name, err)
		}
		row := detectionRow{service: svc.name}
		for i, l := range lines {
			if !l.scored {
				continue
			}
			if !l.fail {
				if len(bd[i]) > 0 {
					row.breachdFalse++
					row.breachdFalseLine = append(row.breachdFalseLine, l)
				}
				if len(fb[i]) > 0 {
					row.f2bFalse++
				}
				continue
			}
			row.failures++
			if l.host != "" && !isIP(l.host) {
				row.hostNames++
			}
			found, injected := judge(l, bd[i])
			if found {
				row.breachdFound++
			} else {
				row.breachdMissed = append(row.breachdMissed, l)
			}
			if injected {
				row.breachdInjected++
				row.injectedLine = append(row.injectedLine, fmt.Sprintf("breachd %s:%d %s (captured %v, want %s)", svc.sample, l.fileNo, l.text, bd[i], l.host))
			}
			found, injected = judge(l, fb[i])
			if found {
				row.f2bFound++
			}
			if injected {
				row.f2bInjected++
				row.injectedLine = append(row.injectedLine, fmt.Sprintf("fail2ban %s:%d %s (captured %v, want %s)", svc.sample, l.fileNo, l.text, fb[i], l.host))
			}
		}
		fmt.Fprintf(&details, "## %s (%s, read as /%s)\n", svc.name, svc.sample, svc.logPath)
		for _, l := range row.breachdMissed {
			fmt.Fprintf(&details, "missed %s:%d %s (want %s)\n", svc.sample, l.fileNo, l.text, l.host)
		}
		for _, l := range row.injectedLine {
			fmt.Fprintf(&details, "INJECTED %s\n", l)
		}
		for _, l := range row.breachdFalseLine {
			fmt.Fprintf(&details, "false  %s:%d %s\n", svc.sample, l.fileNo, l.text)
		}
		rows = append(rows, row)
	}
	if err := os.WriteFile(filepath.Join(o.work, "detection.txt"), details.Bytes(), 0o644); err != nil {
		return err
	}
	logf("detection: the lines breachd missed or matched falsely are in %s", filepath.Join(o.work, "detection.txt"))

	fmt.Fprintf(report, "### Detection on fail2ban's annotated samples (fail2ban %s, stock filters in their jails' default modes)\n\n", f2bVersion(f2b))
	fmt.Fprintln(report, "| service (sample, read as) | annotated failures | breachd: found, right `ip` | fail2ban: found | breachd false matches | fail2ban false matches | injected address captured (breachd / fail2ban) |")
	fmt.Fprintln(report, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	var tot detectionRow
	for i, r := range rows {
		svc := detectionServices[i]
		note := ""
		if r.hostNames > 0 {
			note = fmt.Sprintf(" (%d by host name)", r.hostNames)
		}
		fmt.Fprintf(report, "| %s (`%s`, /%s) | %d%s | %d (%s) | %d (%s) | %d | %d | %d / %d |\n",
			r.service, svc.sample, svc.logPath, r.failures, note, r.breachdFound, pct(r.breachdFound, r.failures),
			r.f2bFound, pct(r.f2bFound, r.failures), r.breachdFalse, r.f2bFalse, r.breachdInjected, r.f2bInjected)
		if svc.notDefault {
			continue
		}
		tot.failures += r.failures
		tot.breachdFound += r.breachdFound
		tot.f2bFound += r.f2bFound
		tot.breachdFalse += r.breachdFalse
		tot.f2bFalse += r.f2bFalse
		tot.breachdInjected += r.breachdInjected
		tot.f2bInjected += r.f2bInjected
	}
	fmt.Fprintf(report, "| **all** (default modes) | %d | %d (%s) | %d (%s) | %d | %d | %d / %d |\n\n",
		tot.failures, tot.breachdFound, pct(tot.breachdFound, tot.failures), tot.f2bFound, pct(tot.f2bFound, tot.failures),
		tot.breachdFalse, tot.f2bFalse, tot.breachdInjected, tot.f2bInjected)
	return nil
}

// judge says whether the addresses a tool captured on an annotated
// failure include the annotated one, and whether it captured an address
// written before it on the line (in the user name: an injection). Another
// address is only a miss.
func judge(l sampleLine, got []string) (found, injected bool) {
	for _, ip := range got {
		switch {
		case l.host == "" || ip == l.host:
			found = true
		case ip != "" && strings.Contains(l.text, ip) && strings.Index(l.text, ip)+len(ip) <= strings.LastIndex(l.text, l.host):
			// written before the server's address, apart from it: in
			// the user name (::ffff:a.b.c.d for a.b.c.d is only a miss)
			injected = true
		}
	}
	return found, injected
}

// f2bFailures maps fail2ban-regex's failures to the lines that completed
// them: the last matched line of each, found in order in the file.
func f2bFailures(out []byte, lines []sampleLine) (map[int][]string, error) {
	res := map[int][]string{}
	var ip string
	var last string
	cursor := 0
	flush := func() error {
		if last == "" {
			return nil
		}
		at := -1
		for j := cursor; j < len(lines); j++ {
			if lines[j].text == last {
				at = j
				break
			}
		}
		if at < 0 {
			return fmt.Errorf("fail2ban-regex reported a failure on a line not in the file: %q", last)
		}
		cursor = at
		res[at] = append(res[at], ip)
		last = ""
		return nil
	}
	for _, s := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(s, "@@F2B "); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			ip = rest
			continue
		}
		if s != "" {
			last = s
		}
	}
	return res, flush()
}

// shippedRules are the names of the shipped rules.
func shippedRules() (map[string]bool, error) {
	cfg, diags := configs.LoadPacks()
	if diags.HasErrors() {
		return nil, fmt.Errorf("the shipped packs: %s", diags.Error())
	}
	res := map[string]bool{}
	for _, r := range cfg.Rules {
		res[r.Name] = true
	}
	return res, nil
}

// ipShape is what an annotated address looks like (hex digits, dots and
// colons); a host name is anything else.
var ipShape = regexp.MustCompile(`^[0-9A-Fa-f:.]+$`)

func isIP(s string) bool {
	return ipShape.MatchString(s) && strings.ContainsAny(s, ".:")
}

func pct(a, b int) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.0f%%", 100*float64(a)/float64(b))
}

func f2bVersion(bin string) string {
	out, err := exec.Command(bin, "-V").Output()
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(out))
}
