-- One wrk script for every benchmark, steered by environment variables:
--   BENCH_MODE   send: POST the letter form, each request with its own session
--                       (one key per line of BENCH_LINES) and its own idempotency key;
--                insert: POST BENCH_FORM to the path in the URL (the baseline);
--                get: GET the URL's path with a browser's User-Agent and no cookies.
--   BENCH_LINES  session keys, one a line (send)
--   BENCH_FORM   the urlencoded form, without the key (send, insert)
--   BENCH_NONCE  8 hex digits, unique to this run, for the idempotency keys
--   BENCH_UA     the User-Agent
-- done() prints one JSON line: requests, seconds, statuses, socket errors, latency.

local mode = os.getenv("BENCH_MODE") or "get"
local ua = os.getenv("BENCH_UA") or "Mozilla/5.0"
local nonce = os.getenv("BENCH_NONCE") or "00000000"
local csrf = "benchcsrftokenbenchcsrftoken0000"  -- 32 characters: an unmasked secret
local threads = {}
local counter = 1

local function read(path)
  local file = assert(io.open(path, "r"))
  local text = file:read("*a")
  file:close()
  return text
end

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  exhausted = 0
  form = ""
  if mode ~= "get" then
    form = read(os.getenv("BENCH_FORM"))
  end
  lines = {}
  if mode == "send" then
    local i = 0
    local nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
    for line in io.lines(os.getenv("BENCH_LINES")) do
      if i % nthreads == tid then table.insert(lines, line) end
      i = i + 1
    end
  end
end

function request()
  if mode == "get" then
    return wrk.format("GET", nil, {["User-Agent"] = ua})
  end
  if mode == "insert" then
    return wrk.format("POST", nil, {
      ["User-Agent"] = ua,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, form)
  end
  local session = lines[counter]
  if session == nil then
    -- Out of prepared supporters: stop rather than send a repeat.
    exhausted = exhausted + 1
    wrk.thread:stop()
    return wrk.format("GET", "/bench/static/", {["User-Agent"] = ua})
  end
  local key = nonce .. string.format("%04x%020x", tid, counter)
  counter = counter + 1
  return wrk.format("POST", nil, {
    ["User-Agent"] = ua,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "sessionid=" .. session .. "; csrftoken=" .. csrf,
  }, "csrfmiddlewaretoken=" .. csrf .. "&key=" .. key .. "&" .. form)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged, out_of_lines = {}, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[tostring(status)] = (merged[tostring(status)] or 0) + n
    end
    out_of_lines = out_of_lines + thread:get("exhausted")
  end
  local parts = {}
  for status, n in pairs(merged) do
    table.insert(parts, string.format('"%s": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.4f, "statuses": {%s}, "exhausted": %d, ' ..
    '"socket_errors": %d, "timeouts": %d, "latency_ms": {"p50": %.2f, "p90": %.2f, ' ..
    '"p99": %.2f, "max": %.2f}}\n',
    summary.requests, summary.duration / 1e6, table.concat(parts, ", "), out_of_lines,
    errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
end
