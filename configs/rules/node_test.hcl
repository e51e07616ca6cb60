# Tests of node.hcl: samples as node_exporter exposes them, one every 15 s.

config = ["sources.hcl", "node.hcl"]

test "100 MB/s out of eth0 for 15 minutes, then back to normal" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 0"
    source = "node"
  }
  input {
    at     = "0s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 0"
    source = "node"
  }
  input {
    at     = "15s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 15000000"
    source = "node"
  }
  input {
    at     = "15s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 7500000000"
    source = "node"
  }
  input {
    at     = "30s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 30000000"
    source = "node"
  }
  input {
    at     = "30s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 15000000000"
    source = "node"
  }
  input {
    at     = "45s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 45000000"
    source = "node"
  }
  input {
    at     = "45s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 22500000000"
    source = "node"
  }
  input {
    at     = "60s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 60000000"
    source = "node"
  }
  input {
    at     = "60s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 30000000000"
    source = "node"
  }
  input {
    at     = "75s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 75000000"
    source = "node"
  }
  input {
    at     = "75s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 37500000000"
    source = "node"
  }
  input {
    at     = "90s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90000000"
    source = "node"
  }
  input {
    at     = "90s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 45000000000"
    source = "node"
  }
  input {
    at     = "105s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 105000000"
    source = "node"
  }
  input {
    at     = "105s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 52500000000"
    source = "node"
  }
  input {
    at     = "120s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 120000000"
    source = "node"
  }
  input {
    at     = "120s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 60000000000"
    source = "node"
  }
  input {
    at     = "135s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 135000000"
    source = "node"
  }
  input {
    at     = "135s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 67500000000"
    source = "node"
  }
  input {
    at     = "150s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 150000000"
    source = "node"
  }
  input {
    at     = "150s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 75000000000"
    source = "node"
  }
  input {
    at     = "165s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 165000000"
    source = "node"
  }
  input {
    at     = "165s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 82500000000"
    source = "node"
  }
  input {
    at     = "180s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 180000000"
    source = "node"
  }
  input {
    at     = "180s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 90000000000"
    source = "node"
  }
  input {
    at     = "195s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 195000000"
    source = "node"
  }
  input {
    at     = "195s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 97500000000"
    source = "node"
  }
  input {
    at     = "210s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 210000000"
    source = "node"
  }
  input {
    at     = "210s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 105000000000"
    source = "node"
  }
  input {
    at     = "225s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 225000000"
    source = "node"
  }
  input {
    at     = "225s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 112500000000"
    source = "node"
  }
  input {
    at     = "240s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 240000000"
    source = "node"
  }
  input {
    at     = "240s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 120000000000"
    source = "node"
  }
  input {
    at     = "255s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 255000000"
    source = "node"
  }
  input {
    at     = "255s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 127500000000"
    source = "node"
  }
  input {
    at     = "270s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 270000000"
    source = "node"
  }
  input {
    at     = "270s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 135000000000"
    source = "node"
  }
  input {
    at     = "285s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 285000000"
    source = "node"
  }
  input {
    at     = "285s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 142500000000"
    source = "node"
  }
  input {
    at     = "300s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1785000000"
    source = "node"
  }
  input {
    at     = "300s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 150000000000"
    source = "node"
  }
  input {
    at     = "315s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 3285000000"
    source = "node"
  }
  input {
    at     = "315s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 157500000000"
    source = "node"
  }
  input {
    at     = "330s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 4785000000"
    source = "node"
  }
  input {
    at     = "330s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 165000000000"
    source = "node"
  }
  input {
    at     = "345s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 6285000000"
    source = "node"
  }
  input {
    at     = "345s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 172500000000"
    source = "node"
  }
  input {
    at     = "360s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 7785000000"
    source = "node"
  }
  input {
    at     = "360s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 180000000000"
    source = "node"
  }
  input {
    at     = "375s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 9285000000"
    source = "node"
  }
  input {
    at     = "375s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 187500000000"
    source = "node"
  }
  input {
    at     = "390s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 10785000000"
    source = "node"
  }
  input {
    at     = "390s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 195000000000"
    source = "node"
  }
  input {
    at     = "405s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 12285000000"
    source = "node"
  }
  input {
    at     = "405s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 202500000000"
    source = "node"
  }
  input {
    at     = "420s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 13785000000"
    source = "node"
  }
  input {
    at     = "420s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 210000000000"
    source = "node"
  }
  input {
    at     = "435s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 15285000000"
    source = "node"
  }
  input {
    at     = "435s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 217500000000"
    source = "node"
  }
  input {
    at     = "450s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 16785000000"
    source = "node"
  }
  input {
    at     = "450s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 225000000000"
    source = "node"
  }
  input {
    at     = "465s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 18285000000"
    source = "node"
  }
  input {
    at     = "465s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 232500000000"
    source = "node"
  }
  input {
    at     = "480s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 19785000000"
    source = "node"
  }
  input {
    at     = "480s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 240000000000"
    source = "node"
  }
  input {
    at     = "495s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 21285000000"
    source = "node"
  }
  input {
    at     = "495s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 247500000000"
    source = "node"
  }
  input {
    at     = "510s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 22785000000"
    source = "node"
  }
  input {
    at     = "510s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 255000000000"
    source = "node"
  }
  input {
    at     = "525s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 24285000000"
    source = "node"
  }
  input {
    at     = "525s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 262500000000"
    source = "node"
  }
  input {
    at     = "540s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 25785000000"
    source = "node"
  }
  input {
    at     = "540s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 270000000000"
    source = "node"
  }
  input {
    at     = "555s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 27285000000"
    source = "node"
  }
  input {
    at     = "555s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 277500000000"
    source = "node"
  }
  input {
    at     = "570s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 28785000000"
    source = "node"
  }
  input {
    at     = "570s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 285000000000"
    source = "node"
  }
  input {
    at     = "585s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 30285000000"
    source = "node"
  }
  input {
    at     = "585s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 292500000000"
    source = "node"
  }
  input {
    at     = "600s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 31785000000"
    source = "node"
  }
  input {
    at     = "600s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 300000000000"
    source = "node"
  }
  input {
    at     = "615s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 33285000000"
    source = "node"
  }
  input {
    at     = "615s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 307500000000"
    source = "node"
  }
  input {
    at     = "630s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 34785000000"
    source = "node"
  }
  input {
    at     = "630s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 315000000000"
    source = "node"
  }
  input {
    at     = "645s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 36285000000"
    source = "node"
  }
  input {
    at     = "645s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 322500000000"
    source = "node"
  }
  input {
    at     = "660s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 37785000000"
    source = "node"
  }
  input {
    at     = "660s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 330000000000"
    source = "node"
  }
  input {
    at     = "675s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 39285000000"
    source = "node"
  }
  input {
    at     = "675s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 337500000000"
    source = "node"
  }
  input {
    at     = "690s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 40785000000"
    source = "node"
  }
  input {
    at     = "690s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 345000000000"
    source = "node"
  }
  input {
    at     = "705s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 42285000000"
    source = "node"
  }
  input {
    at     = "705s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 352500000000"
    source = "node"
  }
  input {
    at     = "720s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 43785000000"
    source = "node"
  }
  input {
    at     = "720s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 360000000000"
    source = "node"
  }
  input {
    at     = "735s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 45285000000"
    source = "node"
  }
  input {
    at     = "735s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 367500000000"
    source = "node"
  }
  input {
    at     = "750s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 46785000000"
    source = "node"
  }
  input {
    at     = "750s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 375000000000"
    source = "node"
  }
  input {
    at     = "765s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 48285000000"
    source = "node"
  }
  input {
    at     = "765s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 382500000000"
    source = "node"
  }
  input {
    at     = "780s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 49785000000"
    source = "node"
  }
  input {
    at     = "780s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 390000000000"
    source = "node"
  }
  input {
    at     = "795s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 51285000000"
    source = "node"
  }
  input {
    at     = "795s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 397500000000"
    source = "node"
  }
  input {
    at     = "810s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 52785000000"
    source = "node"
  }
  input {
    at     = "810s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 405000000000"
    source = "node"
  }
  input {
    at     = "825s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 54285000000"
    source = "node"
  }
  input {
    at     = "825s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 412500000000"
    source = "node"
  }
  input {
    at     = "840s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 55785000000"
    source = "node"
  }
  input {
    at     = "840s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 420000000000"
    source = "node"
  }
  input {
    at     = "855s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 57285000000"
    source = "node"
  }
  input {
    at     = "855s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 427500000000"
    source = "node"
  }
  input {
    at     = "870s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 58785000000"
    source = "node"
  }
  input {
    at     = "870s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 435000000000"
    source = "node"
  }
  input {
    at     = "885s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 60285000000"
    source = "node"
  }
  input {
    at     = "885s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 442500000000"
    source = "node"
  }
  input {
    at     = "900s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 61785000000"
    source = "node"
  }
  input {
    at     = "900s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 450000000000"
    source = "node"
  }
  input {
    at     = "915s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 63285000000"
    source = "node"
  }
  input {
    at     = "915s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 457500000000"
    source = "node"
  }
  input {
    at     = "930s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 64785000000"
    source = "node"
  }
  input {
    at     = "930s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 465000000000"
    source = "node"
  }
  input {
    at     = "945s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 66285000000"
    source = "node"
  }
  input {
    at     = "945s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 472500000000"
    source = "node"
  }
  input {
    at     = "960s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 67785000000"
    source = "node"
  }
  input {
    at     = "960s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 480000000000"
    source = "node"
  }
  input {
    at     = "975s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 69285000000"
    source = "node"
  }
  input {
    at     = "975s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 487500000000"
    source = "node"
  }
  input {
    at     = "990s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 70785000000"
    source = "node"
  }
  input {
    at     = "990s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 495000000000"
    source = "node"
  }
  input {
    at     = "1005s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 72285000000"
    source = "node"
  }
  input {
    at     = "1005s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 502500000000"
    source = "node"
  }
  input {
    at     = "1020s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 73785000000"
    source = "node"
  }
  input {
    at     = "1020s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 510000000000"
    source = "node"
  }
  input {
    at     = "1035s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 75285000000"
    source = "node"
  }
  input {
    at     = "1035s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 517500000000"
    source = "node"
  }
  input {
    at     = "1050s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 76785000000"
    source = "node"
  }
  input {
    at     = "1050s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 525000000000"
    source = "node"
  }
  input {
    at     = "1065s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 78285000000"
    source = "node"
  }
  input {
    at     = "1065s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 532500000000"
    source = "node"
  }
  input {
    at     = "1080s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 79785000000"
    source = "node"
  }
  input {
    at     = "1080s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 540000000000"
    source = "node"
  }
  input {
    at     = "1095s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 81285000000"
    source = "node"
  }
  input {
    at     = "1095s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 547500000000"
    source = "node"
  }
  input {
    at     = "1110s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 82785000000"
    source = "node"
  }
  input {
    at     = "1110s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 555000000000"
    source = "node"
  }
  input {
    at     = "1125s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 84285000000"
    source = "node"
  }
  input {
    at     = "1125s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 562500000000"
    source = "node"
  }
  input {
    at     = "1140s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 85785000000"
    source = "node"
  }
  input {
    at     = "1140s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 570000000000"
    source = "node"
  }
  input {
    at     = "1155s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 87285000000"
    source = "node"
  }
  input {
    at     = "1155s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 577500000000"
    source = "node"
  }
  input {
    at     = "1170s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 88785000000"
    source = "node"
  }
  input {
    at     = "1170s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 585000000000"
    source = "node"
  }
  input {
    at     = "1185s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90285000000"
    source = "node"
  }
  input {
    at     = "1185s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 592500000000"
    source = "node"
  }
  input {
    at     = "1200s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90300000000"
    source = "node"
  }
  input {
    at     = "1200s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 600000000000"
    source = "node"
  }
  input {
    at     = "1215s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90315000000"
    source = "node"
  }
  input {
    at     = "1215s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 607500000000"
    source = "node"
  }
  input {
    at     = "1230s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90330000000"
    source = "node"
  }
  input {
    at     = "1230s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 615000000000"
    source = "node"
  }
  input {
    at     = "1245s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90345000000"
    source = "node"
  }
  input {
    at     = "1245s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 622500000000"
    source = "node"
  }
  input {
    at     = "1260s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90360000000"
    source = "node"
  }
  input {
    at     = "1260s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 630000000000"
    source = "node"
  }
  input {
    at     = "1275s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90375000000"
    source = "node"
  }
  input {
    at     = "1275s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 637500000000"
    source = "node"
  }
  input {
    at     = "1290s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90390000000"
    source = "node"
  }
  input {
    at     = "1290s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 645000000000"
    source = "node"
  }
  input {
    at     = "1305s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90405000000"
    source = "node"
  }
  input {
    at     = "1305s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 652500000000"
    source = "node"
  }
  input {
    at     = "1320s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90420000000"
    source = "node"
  }
  input {
    at     = "1320s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 660000000000"
    source = "node"
  }
  input {
    at     = "1335s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90435000000"
    source = "node"
  }
  input {
    at     = "1335s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 667500000000"
    source = "node"
  }
  input {
    at     = "1350s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90450000000"
    source = "node"
  }
  input {
    at     = "1350s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 675000000000"
    source = "node"
  }
  input {
    at     = "1365s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90465000000"
    source = "node"
  }
  input {
    at     = "1365s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 682500000000"
    source = "node"
  }
  input {
    at     = "1380s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90480000000"
    source = "node"
  }
  input {
    at     = "1380s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 690000000000"
    source = "node"
  }
  input {
    at     = "1395s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90495000000"
    source = "node"
  }
  input {
    at     = "1395s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 697500000000"
    source = "node"
  }
  input {
    at     = "1410s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90510000000"
    source = "node"
  }
  input {
    at     = "1410s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 705000000000"
    source = "node"
  }
  input {
    at     = "1425s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90525000000"
    source = "node"
  }
  input {
    at     = "1425s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 712500000000"
    source = "node"
  }
  input {
    at     = "1440s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90540000000"
    source = "node"
  }
  input {
    at     = "1440s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 720000000000"
    source = "node"
  }
  input {
    at     = "1455s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90555000000"
    source = "node"
  }
  input {
    at     = "1455s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 727500000000"
    source = "node"
  }
  input {
    at     = "1470s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90570000000"
    source = "node"
  }
  input {
    at     = "1470s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 735000000000"
    source = "node"
  }
  input {
    at     = "1485s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90585000000"
    source = "node"
  }
  input {
    at     = "1485s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 742500000000"
    source = "node"
  }
  input {
    at     = "1500s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90600000000"
    source = "node"
  }
  input {
    at     = "1500s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 750000000000"
    source = "node"
  }
  input {
    at     = "1515s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90615000000"
    source = "node"
  }
  input {
    at     = "1515s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 757500000000"
    source = "node"
  }
  input {
    at     = "1530s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90630000000"
    source = "node"
  }
  input {
    at     = "1530s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 765000000000"
    source = "node"
  }
  input {
    at     = "1545s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90645000000"
    source = "node"
  }
  input {
    at     = "1545s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 772500000000"
    source = "node"
  }
  input {
    at     = "1560s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90660000000"
    source = "node"
  }
  input {
    at     = "1560s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 780000000000"
    source = "node"
  }
  input {
    at     = "1575s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90675000000"
    source = "node"
  }
  input {
    at     = "1575s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 787500000000"
    source = "node"
  }
  input {
    at     = "1590s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90690000000"
    source = "node"
  }
  input {
    at     = "1590s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 795000000000"
    source = "node"
  }
  input {
    at     = "1605s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90705000000"
    source = "node"
  }
  input {
    at     = "1605s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 802500000000"
    source = "node"
  }
  input {
    at     = "1620s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90720000000"
    source = "node"
  }
  input {
    at     = "1620s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 810000000000"
    source = "node"
  }
  input {
    at     = "1635s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90735000000"
    source = "node"
  }
  input {
    at     = "1635s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 817500000000"
    source = "node"
  }
  input {
    at     = "1650s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90750000000"
    source = "node"
  }
  input {
    at     = "1650s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 825000000000"
    source = "node"
  }
  input {
    at     = "1665s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90765000000"
    source = "node"
  }
  input {
    at     = "1665s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 832500000000"
    source = "node"
  }
  input {
    at     = "1680s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90780000000"
    source = "node"
  }
  input {
    at     = "1680s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 840000000000"
    source = "node"
  }
  input {
    at     = "1695s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90795000000"
    source = "node"
  }
  input {
    at     = "1695s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 847500000000"
    source = "node"
  }
  input {
    at     = "1710s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90810000000"
    source = "node"
  }
  input {
    at     = "1710s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 855000000000"
    source = "node"
  }
  input {
    at     = "1725s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90825000000"
    source = "node"
  }
  input {
    at     = "1725s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 862500000000"
    source = "node"
  }
  input {
    at     = "1740s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90840000000"
    source = "node"
  }
  input {
    at     = "1740s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 870000000000"
    source = "node"
  }
  input {
    at     = "1755s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90855000000"
    source = "node"
  }
  input {
    at     = "1755s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 877500000000"
    source = "node"
  }
  input {
    at     = "1770s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90870000000"
    source = "node"
  }
  input {
    at     = "1770s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 885000000000"
    source = "node"
  }
  input {
    at     = "1785s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90885000000"
    source = "node"
  }
  input {
    at     = "1785s"
    line   = "node_network_transmit_bytes_total{device=\"lo\"} 892500000000"
    source = "node"
  }
  expect {
    rule   = "outbound-traffic-spike"
    fields = { device = "eth0" }
  }
  expect {
    rule     = "outbound-traffic-spike"
    fields   = { device = "eth0" }
    resolved = true
  }
}

test "a two-minute burst is not a spike" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 0"
    source = "node"
  }
  input {
    at     = "15s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 15000000"
    source = "node"
  }
  input {
    at     = "30s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 30000000"
    source = "node"
  }
  input {
    at     = "45s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 45000000"
    source = "node"
  }
  input {
    at     = "60s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 60000000"
    source = "node"
  }
  input {
    at     = "75s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 75000000"
    source = "node"
  }
  input {
    at     = "90s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 90000000"
    source = "node"
  }
  input {
    at     = "105s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 105000000"
    source = "node"
  }
  input {
    at     = "120s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 120000000"
    source = "node"
  }
  input {
    at     = "135s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 135000000"
    source = "node"
  }
  input {
    at     = "150s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 150000000"
    source = "node"
  }
  input {
    at     = "165s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 165000000"
    source = "node"
  }
  input {
    at     = "180s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 180000000"
    source = "node"
  }
  input {
    at     = "195s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 195000000"
    source = "node"
  }
  input {
    at     = "210s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 210000000"
    source = "node"
  }
  input {
    at     = "225s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 225000000"
    source = "node"
  }
  input {
    at     = "240s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 240000000"
    source = "node"
  }
  input {
    at     = "255s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 255000000"
    source = "node"
  }
  input {
    at     = "270s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 270000000"
    source = "node"
  }
  input {
    at     = "285s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 285000000"
    source = "node"
  }
  input {
    at     = "300s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 1785000000"
    source = "node"
  }
  input {
    at     = "315s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 3285000000"
    source = "node"
  }
  input {
    at     = "330s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 4785000000"
    source = "node"
  }
  input {
    at     = "345s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 6285000000"
    source = "node"
  }
  input {
    at     = "360s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 7785000000"
    source = "node"
  }
  input {
    at     = "375s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 9285000000"
    source = "node"
  }
  input {
    at     = "390s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 10785000000"
    source = "node"
  }
  input {
    at     = "405s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12285000000"
    source = "node"
  }
  input {
    at     = "420s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12300000000"
    source = "node"
  }
  input {
    at     = "435s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12315000000"
    source = "node"
  }
  input {
    at     = "450s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12330000000"
    source = "node"
  }
  input {
    at     = "465s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12345000000"
    source = "node"
  }
  input {
    at     = "480s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12360000000"
    source = "node"
  }
  input {
    at     = "495s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12375000000"
    source = "node"
  }
  input {
    at     = "510s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12390000000"
    source = "node"
  }
  input {
    at     = "525s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12405000000"
    source = "node"
  }
  input {
    at     = "540s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12420000000"
    source = "node"
  }
  input {
    at     = "555s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12435000000"
    source = "node"
  }
  input {
    at     = "570s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12450000000"
    source = "node"
  }
  input {
    at     = "585s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12465000000"
    source = "node"
  }
  input {
    at     = "600s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12480000000"
    source = "node"
  }
  input {
    at     = "615s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12495000000"
    source = "node"
  }
  input {
    at     = "630s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12510000000"
    source = "node"
  }
  input {
    at     = "645s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12525000000"
    source = "node"
  }
  input {
    at     = "660s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12540000000"
    source = "node"
  }
  input {
    at     = "675s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12555000000"
    source = "node"
  }
  input {
    at     = "690s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12570000000"
    source = "node"
  }
  input {
    at     = "705s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12585000000"
    source = "node"
  }
  input {
    at     = "720s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12600000000"
    source = "node"
  }
  input {
    at     = "735s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12615000000"
    source = "node"
  }
  input {
    at     = "750s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12630000000"
    source = "node"
  }
  input {
    at     = "765s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12645000000"
    source = "node"
  }
  input {
    at     = "780s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12660000000"
    source = "node"
  }
  input {
    at     = "795s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12675000000"
    source = "node"
  }
  input {
    at     = "810s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12690000000"
    source = "node"
  }
  input {
    at     = "825s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12705000000"
    source = "node"
  }
  input {
    at     = "840s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12720000000"
    source = "node"
  }
  input {
    at     = "855s"
    line   = "node_network_transmit_bytes_total{device=\"ens3\"} 12735000000"
    source = "node"
  }
  expect_none { rule = "outbound-traffic-spike" }
}

test "a counter reset after a reboot is not a spike" {
  start = "2026-11-23T10:00:00Z"
  input {
    at     = "0s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000000000000"
    source = "node"
  }
  input {
    at     = "15s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000015000000"
    source = "node"
  }
  input {
    at     = "30s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000030000000"
    source = "node"
  }
  input {
    at     = "45s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000045000000"
    source = "node"
  }
  input {
    at     = "60s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000060000000"
    source = "node"
  }
  input {
    at     = "75s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000075000000"
    source = "node"
  }
  input {
    at     = "90s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000090000000"
    source = "node"
  }
  input {
    at     = "105s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000105000000"
    source = "node"
  }
  input {
    at     = "120s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000120000000"
    source = "node"
  }
  input {
    at     = "135s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000135000000"
    source = "node"
  }
  input {
    at     = "150s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000150000000"
    source = "node"
  }
  input {
    at     = "165s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000165000000"
    source = "node"
  }
  input {
    at     = "180s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000180000000"
    source = "node"
  }
  input {
    at     = "195s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000195000000"
    source = "node"
  }
  input {
    at     = "210s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000210000000"
    source = "node"
  }
  input {
    at     = "225s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000225000000"
    source = "node"
  }
  input {
    at     = "240s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000240000000"
    source = "node"
  }
  input {
    at     = "255s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000255000000"
    source = "node"
  }
  input {
    at     = "270s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000270000000"
    source = "node"
  }
  input {
    at     = "285s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 1000285000000"
    source = "node"
  }
  input {
    at     = "300s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 0"
    source = "node"
  }
  input {
    at     = "315s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 15000000"
    source = "node"
  }
  input {
    at     = "330s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 30000000"
    source = "node"
  }
  input {
    at     = "345s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 45000000"
    source = "node"
  }
  input {
    at     = "360s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 60000000"
    source = "node"
  }
  input {
    at     = "375s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 75000000"
    source = "node"
  }
  input {
    at     = "390s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 90000000"
    source = "node"
  }
  input {
    at     = "405s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 105000000"
    source = "node"
  }
  input {
    at     = "420s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 120000000"
    source = "node"
  }
  input {
    at     = "435s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 135000000"
    source = "node"
  }
  input {
    at     = "450s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 150000000"
    source = "node"
  }
  input {
    at     = "465s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 165000000"
    source = "node"
  }
  input {
    at     = "480s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 180000000"
    source = "node"
  }
  input {
    at     = "495s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 195000000"
    source = "node"
  }
  input {
    at     = "510s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 210000000"
    source = "node"
  }
  input {
    at     = "525s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 225000000"
    source = "node"
  }
  input {
    at     = "540s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 240000000"
    source = "node"
  }
  input {
    at     = "555s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 255000000"
    source = "node"
  }
  input {
    at     = "570s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 270000000"
    source = "node"
  }
  input {
    at     = "585s"
    line   = "node_network_transmit_bytes_total{device=\"eth0\"} 285000000"
    source = "node"
  }
  expect_none { rule = "outbound-traffic-spike" }
}
