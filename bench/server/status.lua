-- SPDX-License-Identifier: AGPL-3.0-or-later
-- wrk: GET one job's status with the MisKey; reports p50/p99 at the end.
wrk.headers["MisKey"] = os.getenv("RIPLINE_MIS_KEY")

done = function(summary, latency, requests)
  io.write(string.format("p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read +
    summary.errors.write + summary.errors.timeout))
end
