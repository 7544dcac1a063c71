-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk: POST a new Job XML per request (fresh JobGUID each time).
local counter = 0
local thread_id = 0

setup = function(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

request = function()
  counter = counter + 1
  local guid = string.format("%08x-0000-4000-8000-%012x", id or 0, counter)
  local body = '<?xml version="1.0" encoding="UTF-8"?>' ..
    '<Job Version="2" xmlns="https://printfactory.cloud/schema/2.0">' ..
    '<JobGUID>' .. guid .. '</JobGUID><Name>bench</Name>' ..
    '<User>wrk</User></Job>'
  return wrk.format("POST", "/api/v2/job",
    {["MisKey"] = os.getenv("RIPLINE_MIS_KEY"),
     ["Content-Type"] = "application/xml"}, body)
end

done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
