# Tests of sensitive.hcl. The numbers are published test numbers.
#
#   breachd test configs/rules/sensitive_test.hcl

config = ["sources.hcl", "sensitive.hcl"]
source = "app"

test "card numbers, grouped or not" {
  lines = [
    "2026-11-23 10:00:00 INFO payment accepted card=4111111111111111 amount=10.00",
    "2026-11-23 10:00:01 DEBUG request body {\"pan\": \"5500-0055-5555-5559\", \"cvv\": \"123\"}",
    "2026-11-23 10:00:02 DEBUG amex 3782 822463 10005",
  ]
  expect {
    rule = "card-number-in-app-log"
  }
}

test "numbers that fail Luhn or are not cards" {
  lines = [
    "2026-11-23 10:00:00 INFO order 4111111111111112 shipped",
    "2026-11-23 10:00:01 INFO tracking 1234567890123456",
    "2026-11-23 10:00:02 INFO timestamp 1795415316670141",
  ]
  expect_none { rule = "card-number-in-app-log" }
}

test "social security numbers" {
  lines = [
    "2026-11-23 10:00:00 INFO applicant ssn=078-05-1120 verified",
  ]
  # Every capture is masked, the number's parts too: nothing downstream
  # (the store, the API, webhook bodies, notices) gets them in clear.
  expect {
    rule   = "ssn-in-app-log"
    fields = { ssn = "***-**-1120", area = "***", group = "**", serial = "****" }
  }
}

test "things shaped like SSNs that are not" {
  lines = [
    "2026-11-23 10:00:00 INFO ssn=000-12-3456 invalid area",
    "2026-11-23 10:00:01 INFO ssn=666-12-3456 never issued",
    "2026-11-23 10:00:02 INFO ssn=900-12-3456 ITIN range",
    "2026-11-23 10:00:03 INFO date 2026-11-23 and phone 555-12-3456-7",
  ]
  expect_none { rule = "ssn-in-app-log" }
}

test "IBANs, grouped or not" {
  lines = [
    "2026-11-23 10:00:00 INFO payout to DE89 3704 0044 0532 0130 00",
    "2026-11-23 10:00:01 INFO payout to GB82WEST12345698765432",
  ]
  expect {
    rule = "iban-in-app-log"
  }
}

test "IBAN-shaped strings that fail the check" {
  lines = [
    "2026-11-23 10:00:00 INFO payout to DE88 3704 0044 0532 0130 00",
    "2026-11-23 10:00:01 INFO build ID AB12CDEF34567890",
  ]
  expect_none { rule = "iban-in-app-log" }
}

test "a card number in a request URL" {
  source = "web"
  lines = [
    "203.0.113.9 - - [23/Nov/2026:10:00:00 +0000] \"GET /checkout?cc=4111%201111%201111%201111&exp=12/29 HTTP/1.1\" 200 512 \"-\" \"Mozilla/5.0\"",
  ]
  expect {
    rule = "card-number-in-web-request"
  }
}
