# Metrics from node_exporter: outbound traffic far above normal, sustained,
# is how bulk exfiltration shows before anything is logged.

rule "outbound-traffic-spike" {
  source = "node"
  metric {
    name   = "node_network_transmit_bytes_total"
    labels = { device = "(eth|ens|enp|eno|em|wl|bond|br).*" } # not lo, docker, veth
    window = "5m"
    when   = "rate > 50e6" # 50 MB/s averaged over 5 minutes; tune to your baseline
    for    = "5m"
  }
  severity  = "high"
  indicates = ["exfiltration"]
  incident {
    title    = "Outbound traffic spike on ${device}: ${rate} B/s for 5 minutes"
    category = "exfiltration"
  }
  tags = ["T1048", "T1030"]
}
