-- wrk script for bench/server.sh: each connection leases a task
-- (POST /api/v1/lease) and submits a result on that lease
-- (POST /api/v1/results), over and over.
--
-- The server gives a participant back their own open lease, so every
-- connection needs its own participant. wrk's Lua state is per thread, so
-- the script is run with one connection per thread (wrk -t N -c N) and
-- each thread gets one token from the file named by $TOKENS.

local threads = {}
local tokens = {}
local next_token = 1

for line in io.lines(os.getenv("TOKENS")) do
  if line ~= "" then tokens[#tokens + 1] = line end
end

function setup(thread)
  thread:set("token", tokens[next_token])
  next_token = next_token + 1
  threads[#threads + 1] = thread
end

-- Per thread (per connection) from here on.
local lease_id = nil
local n = 0
cycles = 0
failures = 0
empty = 0

-- $THINK_MS: the time a person takes over each task, waited before each
-- lease but the first; not counted in the latency. Unset: none (as fast
-- as the server answers).
local think_ms = tonumber(os.getenv("THINK_MS") or "") or 0
local started = false
if think_ms > 0 then
  function delay()
    if lease_id == nil and started then return think_ms end
    return 0
  end
end

function request()
  started = true
  local headers = { ["Authorization"] = "Bearer " .. token }
  if lease_id then
    n = n + 1
    headers["Content-Type"] = "application/json"
    local body = string.format(
      '{"lease_id":"%s","idempotency_key":"bench-%d","lead_time_ms":1500,' ..
      '"result":{"text":"een twee drie vier"}}', lease_id, n)
    return wrk.format("POST", "/api/v1/results", headers, body)
  end
  return wrk.format("POST", "/api/v1/lease", headers, nil)
end

function response(status, headers, body)
  if lease_id then
    lease_id = nil
    if status == 200 then cycles = cycles + 1 else failures = failures + 1 end
  elseif status == 200 then
    lease_id = body:match('"lease":%s*{%s*"id":%s*"([^"]+)"')
    if not lease_id then failures = failures + 1 end
  elseif status == 204 then
    empty = empty + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local c, f, e = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("cycles") or 0)
    f = f + (t:get("failures") or 0)
    e = e + (t:get("empty") or 0)
  end
  local errors = summary.errors
  io.write(string.format("cycles\t%d\n", c))
  io.write(string.format("seconds\t%.3f\n", summary.duration / 1e6))
  io.write(string.format("failures\t%d\n", f + errors.connect + errors.read + errors.write +
                         errors.timeout))
  io.write(string.format("empty\t%d\n", e))
  io.write(string.format("p50_ms\t%.3f\n", latency:percentile(50) / 1000))
  io.write(string.format("p90_ms\t%.3f\n", latency:percentile(90) / 1000))
  io.write(string.format("p99_ms\t%.3f\n", latency:percentile(99) / 1000))
  io.write(string.format("p999_ms\t%.3f\n", latency:percentile(99.9) / 1000))
end
