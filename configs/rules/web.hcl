# Web servers (nginx, Apache; combined log format): authentication
# failures, path traversal, SQL injection and XSS probes, scanners by their
# user agent, probes for secrets and backups. The request is matched; the
# client address comes from its own field, first on the line.

rule "web-auth-failures" {
  source = "web"
  match  = "."
  where  = "status in ['401', '403']"
  threshold {
    count    = 20
    within   = "1m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Burst of 401/403 responses to ${ip}"
    category = "unauthorized-access"
  }
  tags = ["T1110"]
}

rule "web-path-traversal" {
  source = "web"
  match  = "(?i)((\\.|%2e|%252e|%c0%ae){2}(;[^/]*)?(/|\\\\|%2f|%5c|%252f)|/etc/passwd|/etc/shadow|/proc/self/environ|c:\\\\windows|win\\.ini)"
  where  = "is_ip(ip)" # a line the access-log format does not read has no address: not counted
  threshold {
    count    = 1
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "Path traversal attempt from ${ip}: ${path}"
    category = "web-attack"
  }
  tags = ["T1190", "T1083"]
}

rule "web-sqli-probe" {
  source = "web"
  match  = "(?i)(union(\\s|%20|\\+|/\\*\\*/)+(all(\\s|%20|\\+)+)?select|select(\\s|%20|\\+)+.*(\\s|%20|\\+)from(\\s|%20|\\+)+information_schema|(%2527|%27|')(\\s|%20|\\+)*(or|and)(\\s|%20|\\+)+[0-9a-z'%]+(\\s|%20|\\+)*(=|%3d)|(%2527|%27|')(\\s|%20|\\+)*(--|%2d%2d|#|%23)|sleep(\\s|%20|\\+)*(\\(|%28)(\\s|%20)*\\d+(\\s|%20)*(\\)|%29)|benchmark(\\(|%28)|waitfor(\\s|%20|\\+)+delay|pg_sleep(\\(|%28))"
  where  = "is_ip(ip)" # a line the access-log format does not read has no address: not counted
  threshold {
    count    = 1
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "high"
  indicates = ["attempt"]
  incident {
    title    = "SQL injection probe from ${ip}: ${path}"
    category = "web-attack"
  }
  tags = ["T1190"]
}

rule "web-xss-probe" {
  source = "web"
  match  = "(?i)(<script|%3cscript|%253cscript|javascript:|onerror(\\s|%20)*=|onload(\\s|%20)*=|alert\\(|%3csvg|<svg)"
  where  = "is_ip(ip)" # a line the access-log format does not read has no address: not counted
  threshold {
    count    = 1
    within   = "10m"
    group_by = ["ip"]
    cooldown = "10m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Cross-site scripting probe from ${ip}: ${path}"
    category = "web-attack"
  }
  tags = ["T1189", "T1190"]
}

rule "web-scanner-agent" {
  source = "web"
  match  = "."
  where  = "agent matches '(?i)(sqlmap|nikto|nmap|masscan|zgrab|nuclei|gobuster|dirbuster|dirb/|wfuzz|ffuf|feroxbuster|wpscan|acunetix|nessus|openvas|whatweb|jaeles|hydra)'"
  threshold {
    count    = 1
    within   = "1h"
    group_by = ["ip"]
    cooldown = "1h"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Vulnerability scanner from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1595.002"]
}

rule "web-secret-file-probe" {
  source = "web"
  match  = "(?i)/(\\.env(\\.\\w+)?|\\.git/(config|HEAD)|\\.svn/|\\.hg/|\\.htpasswd|\\.htaccess|wp-config\\.php(\\.bak|~|\\.old)?|config\\.php\\.bak|\\.DS_Store|id_rsa|id_ed25519|\\.aws/credentials|\\.ssh/|[\\w-]*(backup|dump|db|database|site)[\\w-]*\\.(sql|zip|tar|tgz|tar\\.gz|bak|7z|rar))(\\?| |$)"
  where  = "is_ip(ip)" # a line the access-log format does not read has no address: not counted
  threshold {
    count    = 3
    within   = "5m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Probes for secrets and backups from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1595.003", "T1552.001"]
}

# Requests answered 404 for well-known applications the site does not
# have (webmail, phpMyAdmin, WordPress logins, cgi-bin, mysqladmin): bots
# searching for something to attack. The access-log half of fail2ban's
# nginx-botsearch jail (the error-log half is nginx.hcl's nginx-botsearch)
# and, by URI, what apache-botsearch looks for. The names are fail2ban's
# botsearch-common list; the path's first component must start with one.
rule "web-botsearch" {
  source = "web"
  match  = "^(?:GET|POST|HEAD) /+(?:roundcube|(?:ext)?mail|horde|(?:v-?)?webmail|(?:typo3/|xampp/|admin/)?(?:pma|(?:php)?[Mm]y[Aa]dmin)|wp-(?:login|signup|admin)\\.php|cgi-bin|mysqladmin)"
  where  = "status == '404'"
  threshold {
    count    = 2
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "medium"
  indicates = ["attempt"]
  incident {
    title    = "Bot searching for web applications from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1595.003"]
}

# Requests the server could not parse, answered 400: empty requests, binary
# garbage (RDP or TLS sent to the HTTP port), bare words; replaces fail2ban's
# nginx-bad-request jail. nginx logs such a request with its raw text
# ("\x16\x03…", "" for a connection closed before a request line; the
# combined format escapes quotes and bytes outside ASCII), Apache likewise
# ("-" when there was no request line).
rule "web-bad-requests" {
  source = "web"
  match  = "^"
  where  = "status == '400'"
  threshold {
    count    = 5
    within   = "10m"
    group_by = ["ip"]
    cooldown = "30m"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "Malformed HTTP requests from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1595"]
}

# E-mail harvesters and comment spammers, by their user agent: fail2ban's
# apache-badbots list (badbots and badbotscustom, Debian's 1.0.2), compared
# with the whole user agent field as fail2ban does (its regex's one
# optional part, "(?:Mozilla/N.N )?Jorgee", as "Jorgee" and "Mozilla/5.0
# Jorgee"; scan4mail's "/?" as both forms), on a GET, POST or HEAD;
# replaces the apache-badbots jail. One request is enough (the jail's
# maxretry is 1).
rule "web-bad-bots" {
  source = "web"
  match  = "^(?:GET|POST|HEAD) "
  where  = "agent in ['EmailCollector', 'WebEMailExtrac', 'TrackBack/1.02', 'sogou music spider', 'Jorgee', 'Mozilla/5.0 Jorgee', 'Atomic_Email_Hunter/4.0', 'atSpider/1.0', 'autoemailspider', 'bwh3_user_agent', 'China Local Browse 2.6', 'ContactBot/0.2', 'ContentSmartz', 'DataCha0s/2.0', 'DBrowse 1.4b', 'DBrowse 1.4d', 'Demo Bot DOT 16b', 'Demo Bot Z 16b', 'DSurf15a 01', 'DSurf15a 71', 'DSurf15a 81', 'DSurf15a VA', 'EBrowse 1.4b', 'Educate Search VxB', 'EmailSiphon', 'EmailSpider', 'EmailWolf 1.00', 'ESurf15a 15', 'ExtractorPro', 'Franklin Locator 1.8', 'FSurf15a 01', 'Full Web Bot 0416B', 'Full Web Bot 0516B', 'Full Web Bot 2816B', 'Guestbook Auto Submitter', 'Industry Program 1.0.x', 'ISC Systems iRc Search 2.1', 'IUPUI Research Bot v 1.9a', 'LARBIN-EXPERIMENTAL (efp@gmx.net)', 'LetsCrawl.com/1.0 +http://letscrawl.com/', 'Lincoln State Web Browser', 'LMQueueBot/0.2', 'LWP::Simple/5.803', 'Mac Finder 1.0.xx', 'MFC Foundation Class Library 4.0', 'Microsoft URL Control - 6.00.8xxx', 'Missauga Locate 1.0.0', 'Missigua Locator 1.9', 'Missouri College Browse', 'Mizzu Labs 2.2', 'Mo College 1.9', 'MVAClient', 'Mozilla/2.0 (compatible; NEWT ActiveX; Win32)', 'Mozilla/3.0 (compatible; Indy Library)', 'Mozilla/3.0 (compatible; scan4mail (advanced version) http://www.peterspages.netscan4mail)', 'Mozilla/3.0 (compatible; scan4mail (advanced version) http://www.peterspages.net/scan4mail)', 'Mozilla/4.0 (compatible; Advanced Email Extractor v2.xx)', 'Mozilla/4.0 (compatible; Iplexx Spider/1.0 http://www.iplexx.at)', 'Mozilla/4.0 (compatible; MSIE 5.0; Windows NT; DigExt; DTS Agent', 'Mozilla/4.0 efp@gmx.net', 'Mozilla/5.0 (Version: xxxx Type:xx)', 'NameOfAgent (CMS Spider)', 'NASA Search 1.0', 'Nsauditor/1.x', 'PBrowse 1.4b', 'PEval 1.4b', 'Poirot', 'Port Huron Labs', 'Production Bot 0116B', 'Production Bot 2016B', 'Production Bot DOT 3016B', 'Program Shareware 1.0.2', 'PSurf15a 11', 'PSurf15a 51', 'PSurf15a VA', 'psycheclone', 'RSurf15a 41', 'RSurf15a 51', 'RSurf15a 81', 'searchbot admin@google.com', 'ShablastBot 1.0', 'snap.com beta crawler v0', 'Snapbot/1.0', 'Snapbot/1.0 (Snap Shots&#44; +http://www.snap.com)', 'sogou develop spider', 'Sogou Orion spider/3.0(+http://www.sogou.com/docs/help/webmasters.htm#07)', 'sogou spider', 'Sogou web spider/3.0(+http://www.sogou.com/docs/help/webmasters.htm#07)', 'sohu agent', 'SSurf15a 11 ', 'TSurf15a 11', 'Under the Rainbow 2.2', 'User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)', 'VadixBot', 'WebVulnCrawl.unknown/1.0 libwww-perl/5.803', 'Wells Search II', 'WEP Search 00']"
  threshold {
    count    = 1
    within   = "1h"
    group_by = ["ip"]
    cooldown = "48h"
  }
  severity  = "low"
  indicates = ["attempt"]
  incident {
    title    = "E-mail harvester or spam bot from ${ip}"
    category = "reconnaissance"
  }
  tags = ["T1593"]
}
