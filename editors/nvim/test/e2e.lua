-- End-to-end test of editors/nvim against a real `reportlint server`; run by test/run.sh.
-- Environment: REPORTLINT_BIN (absolute path), REPORTLINT_SEED (file to check),
-- REPORTLINT_EXPECTED (JSON from `reportlint check --format json`), REPORTLINT_WORKDIR
-- (a scratch directory), REPORTLINT_TEST_API (native | start | start_client).
-- Prints one line per check; exits 0 only if every check passed.

local api = vim.api
local TIMEOUT = 10000

local passed, failed = 0, 0

local function out(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

local function ok(name)
  passed = passed + 1
  out("ok   " .. name)
end

local function fail(name, expected, seen)
  failed = failed + 1
  out("FAIL " .. name)
  out("       expected: " .. tostring(expected))
  out("       seen:     " .. tostring(seen))
end

local function check(cond, name, expected, seen)
  if cond then
    ok(name)
  else
    fail(name, expected, seen)
  end
  return cond
end

local function env(name)
  local v = os.getenv(name)
  if not v or v == "" then
    error("missing environment variable " .. name)
  end
  return v
end

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("*a")
  f:close()
  return s
end

local function sorted_keys(set)
  local list = {}
  for k in pairs(set) do
    list[#list + 1] = k
  end
  table.sort(list)
  return list
end

local function join(set)
  return "{" .. table.concat(sorted_keys(set), ", ") .. "}"
end

local function reportlint_diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == "reportlint" then
      list[#list + 1] = d
    end
  end
  return list
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function codes(diags)
  local set = {}
  for _, d in ipairs(diags) do
    set[tostring(code_of(d))] = true
  end
  return set
end

local function describe(diags)
  local parts = {}
  for _, d in ipairs(diags) do
    parts[#parts + 1] = ("%s@%d(sev %s)"):format(tostring(code_of(d)), d.lnum + 1, tostring(d.severity))
  end
  return #parts == 0 and "(none)" or table.concat(parts, " ")
end

local function wait(cond)
  return vim.wait(TIMEOUT, cond, 50)
end

local function open(path)
  vim.cmd("edit " .. vim.fn.fnameescape(path))
  return api.nvim_get_current_buf()
end

local function wait_attached(rl, bufnr, name)
  local attached = wait(function()
    local c = rl.get_client(bufnr)
    return c ~= nil and c.initialized ~= false
  end)
  local what = name .. ": reportlint client attached"
  if not check(attached, what, "a client named reportlint", "none after 10 s") then
    error({ abort = "no client attached, so the remaining checks cannot run" })
  end
end

local HEADINGS = {
  "## 一、总体情况",
  "## 二、主动公开政府信息情况",
  "## 三、收到和处理政府信息公开申请情况",
  "## 四、政府信息公开行政复议、行政诉讼情况",
  "## 五、存在的主要问题及改进情况",
  "## 六、其他需要报告的事项",
}

local function check_headings(bufnr, name)
  local present = {}
  for _, line in ipairs(api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    present[line] = true
  end
  local missing = {}
  for _, h in ipairs(HEADINGS) do
    if not present[h] then
      missing[#missing + 1] = h
    end
  end
  return check(
    #missing == 0,
    name .. ": buffer has the six section headings",
    table.concat(HEADINGS, " | "),
    ("missing: %s (buffer has %d lines)"):format(table.concat(missing, " | "), api.nvim_buf_line_count(bufnr))
  )
end

-- No ERROR or WARN once the server has re-analysed (it no longer reports S004).
local function check_clean_after_edit(bufnr, name)
  local settled = wait(function()
    return not codes(reportlint_diagnostics(bufnr))["S004"]
  end)
  local diags = reportlint_diagnostics(bufnr)
  if not check(settled, name .. ": server re-analysed (S004 gone)", "no S004", describe(diags)) then
    return
  end
  local bad = {}
  for _, d in ipairs(diags) do
    if d.severity == vim.diagnostic.severity.ERROR or d.severity == vim.diagnostic.severity.WARN then
      bad[#bad + 1] = d
    end
  end
  check(#bad == 0, name .. ": no ERROR or WARN diagnostics", "none", describe(bad))
end

local function run()
  local bin = env("REPORTLINT_BIN")
  local seed = env("REPORTLINT_SEED")
  local expected_json = env("REPORTLINT_EXPECTED")
  local workdir = env("REPORTLINT_WORKDIR")
  local api_mode = os.getenv("REPORTLINT_TEST_API") or "native"

  -- Simulate an older Neovim by hiding the newer API (feature detection picks the path).
  if api_mode == "start" or api_mode == "start_client" then
    vim.lsp.config = nil
    vim.lsp.enable = nil
  end
  if api_mode == "start_client" then
    vim.lsp.start = nil
  end
  local path = (vim.lsp.config and vim.lsp.enable) and "vim.lsp.config/enable"
    or (vim.lsp.start and "vim.lsp.start")
    or "vim.lsp.start_client"
  local v = vim.version()
  out(("nvim %d.%d.%d, API path: %s"):format(v.major, v.minor, v.patch, path))

  local rl = require("reportlint")
  rl.setup({ cmd = { bin, "server" } })

  -- a. The seed file: diagnostics match `reportlint check` ---------------------------------
  local buf = open(seed)
  check(vim.bo[buf].filetype == "text", "seed: filetype is text", "text", vim.bo[buf].filetype)
  wait_attached(rl, buf, "seed")
  local got = wait(function()
    return #reportlint_diagnostics(buf) > 0
  end)
  local diags = reportlint_diagnostics(buf)
  check(got, "seed: diagnostics from source reportlint appear", "at least one", describe(diags))
  local p003_line9 = false
  for _, d in ipairs(diags) do
    if code_of(d) == "P003" and d.lnum == 8 then
      p003_line9 = true
    end
  end
  check(p003_line9, "seed: P003 on line 9", "P003 at line 9", describe(diags))
  local expected = {}
  for _, item in ipairs(vim.fn.json_decode(read_file(expected_json))) do
    expected[item.code] = true
  end
  local seen = codes(diags)
  local same = join(seen) == join(expected)
  check(same, "seed: codes equal those of `reportlint check`", join(expected), join(seen))

  -- :ReportlintFixAll applies the safe fixes (P003's 9.8% -> 8.8%). The buffer is never
  -- written; a read-only checkout must not stop the edit.
  vim.bo[buf].readonly = false
  vim.cmd("ReportlintFixAll")
  local fixed = wait(function()
    local line = api.nvim_buf_get_lines(buf, 8, 9, false)[1] or ""
    return line:find("占8.8%", 1, true) ~= nil
  end)
  check(
    fixed,
    "fix all: line 9 now says 8.8%",
    "a line containing 占8.8%",
    api.nvim_buf_get_lines(buf, 8, 9, false)[1]
  )
  local refreshed = wait(function()
    return not codes(reportlint_diagnostics(buf))["P003"]
  end)
  check(refreshed, "fix all: P003 gone after re-analysis", "no P003", describe(reportlint_diagnostics(buf)))

  -- b. An empty Markdown file: the S004 quick fix inserts the whole skeleton ----------------
  local empty = workdir .. "/empty.md"
  assert(io.open(empty, "wb")):close()
  local mbuf = open(empty)
  local ft = vim.bo[mbuf].filetype
  check(ft == "markdown", "empty.md: filetype is markdown", "markdown", ft)
  wait_attached(rl, mbuf, "empty.md")
  local s004 = wait(function()
    return codes(reportlint_diagnostics(mbuf))["S004"] ~= nil
  end)
  check(s004, "empty.md: S004 reported", "S004", describe(reportlint_diagnostics(mbuf)))

  -- configure() switches the running server's language (workspace/didChangeConfiguration).
  rl.configure({ lang = "en" })
  local english = wait(function()
    for _, d in ipairs(reportlint_diagnostics(mbuf)) do
      if code_of(d) == "S004" and d.message:find("^The report") then
        return true
      end
    end
    return false
  end)
  local messages = {}
  for _, d in ipairs(reportlint_diagnostics(mbuf)) do
    messages[#messages + 1] = d.message
  end
  check(
    english,
    "configure({lang = 'en'}): messages turn English",
    "S004 message starting 'The report'",
    table.concat(messages, " / ")
  )

  local client = rl.get_client(mbuf)
  local action
  local titles = {}
  if client then
    local params = {
      textDocument = { uri = vim.uri_from_bufnr(mbuf) },
      range = { start = { line = 0, character = 0 }, ["end"] = { line = 0, character = 0 } },
      context = { diagnostics = {} },
    }
    local responses = vim.lsp.buf_request_sync(mbuf, "textDocument/codeAction", params, TIMEOUT) or {}
    for _, response in pairs(responses) do
      if response.err or response.error then
        fail("empty.md: code action request", "a result", vim.inspect(response.err or response.error))
      end
      for _, a in ipairs(response.result or {}) do
        titles[#titles + 1] = tostring(a.title) .. " [" .. tostring(a.kind) .. "]"
                -- The first such action is the fix; "Ignore S004 here" (a suppression) comes after it.
        for _, d in ipairs(a.diagnostics or {}) do
          if d.code == "S004" and a.edit and not action then
            action = a
          end
        end
      end
    end
  end
  local found = check(
    action ~= nil,
    "empty.md: a code action fixes S004",
    "an action whose diagnostics include S004",
    table.concat(titles, "; ")
  )
  if found then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
    check_headings(mbuf, "empty.md")
    check_clean_after_edit(mbuf, "empty.md")
  end

  -- c. :ReportlintInsertSkeleton on another empty buffer -------------------------------------
  local empty2 = workdir .. "/empty2.md"
  assert(io.open(empty2, "wb")):close()
  local sbuf = open(empty2)
  wait_attached(rl, sbuf, "empty2.md")
  wait(function()
    return #reportlint_diagnostics(sbuf) > 0
  end)
  vim.cmd("ReportlintInsertSkeleton")
  local filled = wait(function()
    return api.nvim_buf_line_count(sbuf) > 10
  end)
  local lines = api.nvim_buf_line_count(sbuf) .. " lines"
  check(filled, "empty2.md: :ReportlintInsertSkeleton fills the buffer", "more than 10 lines", lines)
  check_headings(sbuf, "empty2.md")
  check_clean_after_edit(sbuf, "empty2.md")

  -- d. An unnamed Markdown buffer is left alone (Neovim has no usable URI for it) -----------
  vim.cmd("enew")
  local ubuf = api.nvim_get_current_buf()
  vim.bo[ubuf].filetype = "markdown"
  vim.wait(1000, function()
    return false
  end)
  check(rl.get_client(ubuf) == nil, "unnamed buffer: no client attached", "none", "a reportlint client")
  local stray = {}
  for _, b in ipairs(api.nvim_list_bufs()) do
    if api.nvim_buf_get_name(b) == "/" then
      stray[#stray + 1] = b
    end
  end
  check(#stray == 0, "unnamed buffer: no stray buffer named /", "none", #stray .. " buffer(s)")
end

local ran, err = xpcall(run, function(e)
  return type(e) == "table" and e or debug.traceback(e)
end)
if not ran then
  if type(err) == "table" and err.abort then
    out("stop " .. err.abort)
  else
    fail("test script", "no Lua error", err)
  end
end
out(("%d passed, %d failed"):format(passed, failed))
if failed > 0 then
  vim.cmd("cquit 1")
else
  vim.cmd("qall!")
end
