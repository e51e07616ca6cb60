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
  match  = "(?i)((\\.|%2e|%252e|%c0%ae){2}(/|\\\\|%2f|%5c|%252f)|/etc/passwd|/etc/shadow|/proc/self/environ|c:\\\\windows|win\\.ini)"
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
  match  = "(?i)(union(\\s|%20|\\+|/\\*\\*/)+(all(\\s|%20|\\+)+)?select|select(\\s|%20|\\+)+.*(\\s|%20|\\+)from(\\s|%20|\\+)+information_schema|(%27|')(\\s|%20|\\+)*(or|and)(\\s|%20|\\+)+[0-9a-z'%]+(\\s|%20|\\+)*=|sleep(\\s|%20)*\\(\\s*\\d+\\s*\\)|benchmark\\(|waitfor(\\s|%20|\\+)+delay|pg_sleep\\()"
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
