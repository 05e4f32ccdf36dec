-- reportlint for Neovim: runs `reportlint server` (LSP over stdio) for Markdown and
-- plain-text buffers. No dependencies.
--
-- Three generations of Neovim's LSP API are supported, chosen by feature detection:
--   * 0.11+   vim.lsp.config() + vim.lsp.enable()
--   * 0.8-0.10 vim.lsp.start() from a FileType autocmd
--   * 0.7     vim.lsp.start_client() + vim.lsp.buf_attach_client() from a FileType
--             autocmd, one client per root directory
-- Keep this file Lua 5.1 / LuaJIT compatible.

local M = {}

local NAME = "reportlint"
M.INSERT_SKELETON = "reportlint.insertSkeleton"
M.FIX_ALL_KIND = "source.fixAll.reportlint"

local api = vim.api
local uv = vim.uv or vim.loop

local defaults = {
  cmd = { "reportlint", "server" },
  filetypes = { "markdown", "text" },
  profile = nil, -- "f2021" | "f2019" | "/path/to/profile.json" | nil (choose by the report's year)
  lang = nil, -- "zh" | "en" | nil (follow the editor's locale)
  root_markers = { ".git", "reportlint.toml" },
  on_attach = nil, -- function(client, bufnr)
  capabilities = nil, -- table, as from vim.lsp.protocol.make_client_capabilities()
}

local option_types = {
  cmd = "table",
  filetypes = "table",
  profile = "string",
  lang = "string",
  root_markers = "table",
  on_attach = "function",
  capabilities = "table",
}

--- The options in force (set by setup()).
M.options = nil

local function notify(msg, level)
  vim.notify("reportlint: " .. msg, level or vim.log.levels.INFO)
end

-- The server's settings; unset values are left out, so the server picks its defaults.
local function server_settings(o)
  local s = {}
  if o.profile and o.profile ~= "" then
    s.profile = o.profile
  end
  if o.lang and o.lang ~= "" then
    s.lang = o.lang
  end
  return s
end

-- Calls a method of an LSP client object. Neovim 0.11 made them methods (client:request());
-- earlier versions have plain functions (client.request()).
local function call(client, method, ...)
  local mt = getmetatable(client)
  if type(mt) == "table" and type(rawget(mt, method)) == "function" then
    return client[method](client, ...)
  end
  return client[method](...)
end

local function resolve_bufnr(bufnr)
  if bufnr == nil or bufnr == 0 then
    return api.nvim_get_current_buf()
  end
  return bufnr
end

--- The nearest directory, from the buffer's file upwards, that holds one of the root markers,
--- or nil. (vim.fs does not exist in Neovim 0.7, so this walks the tree itself.)
function M.find_root(bufnr, markers)
  bufnr = resolve_bufnr(bufnr)
  markers = markers or (M.options and M.options.root_markers) or defaults.root_markers
  local name = api.nvim_buf_get_name(bufnr)
  local dir = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  while dir and dir ~= "" do
    for _, marker in ipairs(markers) do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      break
    end
    dir = parent
  end
  return nil
end

--- The reportlint client attached to a buffer, or nil.
function M.get_client(bufnr)
  bufnr = resolve_bufnr(bufnr)
  local list = (vim.lsp.get_clients or vim.lsp.get_active_clients)()
  for _, client in ipairs(list) do
    if client.name == NAME and vim.lsp.buf_is_attached(bufnr, client.id) then
      return client
    end
  end
  return nil
end

-- Neovim 0.7-0.10: start (or reuse) a client for one buffer ------------------------------

local warned_missing = false
local client_ids = {} -- 0.7 only: root directory -> client id

local function client_config(bufnr)
  local o = M.options
  return {
    name = NAME,
    cmd = o.cmd,
    -- Without a marker, the working directory is the root (one client for such files).
    root_dir = M.find_root(bufnr, o.root_markers) or vim.fn.getcwd(),
    init_options = server_settings(o),
    settings = { reportlint = server_settings(o) },
    on_attach = o.on_attach,
    capabilities = o.capabilities,
  }
end

-- Only buffers that are files: not help, prompts or hover windows (buftype), and not unnamed
-- buffers, for which Neovim has no usable URI (it sends "file://", and the diagnostics come
-- back for "file:///", which it opens as a new buffer named "/").
local function wanted(bufnr)
  return api.nvim_buf_is_valid(bufnr) and vim.bo[bufnr].buftype == "" and api.nvim_buf_get_name(bufnr) ~= ""
end

local function attach(bufnr)
  if not wanted(bufnr) then
    return
  end
  local o = M.options
  if vim.fn.executable(o.cmd[1]) ~= 1 then
    if not warned_missing then
      warned_missing = true
      notify(
        ("cannot run %q: install it with `cargo install --path .` in the reportlint "
          .. "repository, or set `cmd` in setup()"):format(o.cmd[1]),
        vim.log.levels.WARN
      )
    end
    return
  end
  local config = client_config(bufnr)
  if vim.lsp.start then
    -- 0.8-0.10: vim.lsp.start reuses a client with the same name and root_dir.
    api.nvim_buf_call(bufnr, function()
      vim.lsp.start(config, { bufnr = bufnr })
    end)
    return
  end
  -- 0.7: keep one client per root directory ourselves.
  local id = client_ids[config.root_dir]
  if not (id and vim.lsp.get_client_by_id(id) and not vim.lsp.client_is_stopped(id)) then
    local ok, result = pcall(vim.lsp.start_client, config)
    if not ok or not result then
      notify("could not start the server: " .. tostring(result), vim.log.levels.ERROR)
      return
    end
    id = result
    client_ids[config.root_dir] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
end

-- Commands -------------------------------------------------------------------------------

local function client_or_warn(bufnr)
  local client = M.get_client(bufnr)
  if not client then
    notify("the server is not attached to this buffer", vim.log.levels.WARN)
  end
  return client
end

--- Asks the server to insert the report skeleton (the whole report into an empty buffer,
--- else the missing sections and tables). The server answers with workspace/applyEdit.
function M.insert_skeleton(bufnr)
  bufnr = resolve_bufnr(bufnr)
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local params = { command = M.INSERT_SKELETON, arguments = { vim.uri_from_bufnr(bufnr) } }
  call(client, "request", "workspace/executeCommand", params, function(err)
    if err then
      notify("insertSkeleton failed: " .. tostring(err.message or err), vim.log.levels.ERROR)
    end
  end, bufnr)
end

local function has_edits(edit)
  if type(edit) ~= "table" then
    return false
  end
  for _, change in ipairs(edit.documentChanges or {}) do
    if change.edits == nil or #change.edits > 0 then
      return true -- a text edit, or a create/rename/delete operation
    end
  end
  for _, edits in pairs(edit.changes or {}) do
    if #edits > 0 then
      return true
    end
  end
  return false
end

--- Applies every safe fix (the `source.fixAll.reportlint` code action) to the buffer.
function M.fix_all(bufnr)
  bufnr = resolve_bufnr(bufnr)
  local client = client_or_warn(bufnr)
  if not client then
    return
  end
  local last = math.max(api.nvim_buf_line_count(bufnr) - 1, 0)
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = { start = { line = 0, character = 0 }, ["end"] = { line = last, character = 0 } },
    context = { diagnostics = {}, only = { M.FIX_ALL_KIND } },
  }
  local tick = api.nvim_buf_get_changedtick(bufnr)
  call(client, "request", "textDocument/codeAction", params, function(err, actions)
    if err then
      notify("fix all failed: " .. tostring(err.message or err), vim.log.levels.ERROR)
      return
    end
    if api.nvim_buf_get_changedtick(bufnr) ~= tick then
      notify("the buffer changed meanwhile; run :ReportlintFixAll again", vim.log.levels.WARN)
      return
    end
    local applied = false
    for _, action in ipairs(actions or {}) do
      local kind = action.kind or ""
      if kind:sub(1, #M.FIX_ALL_KIND) == M.FIX_ALL_KIND then
        if has_edits(action.edit) then
          vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or "utf-16")
          applied = true
        end
        if type(action.command) == "table" then
          call(client, "request", "workspace/executeCommand", action.command, nil, bufnr)
          applied = true
        end
      end
    end
    if not applied then
      notify("nothing to fix")
    end
  end, bufnr)
end

--- Changes the profile or language of running servers (and of servers started later).
--- settings: { profile = "f2021"|"f2019"|path|"" , lang = "zh"|"en"|"" }; "" means automatic.
function M.configure(settings)
  M.options = M.options or vim.deepcopy(defaults)
  for _, key in ipairs({ "profile", "lang" }) do
    if settings[key] ~= nil then
      M.options[key] = settings[key] ~= "" and settings[key] or nil
    end
  end
  local o = M.options
  if vim.lsp.config and vim.lsp.enable then
    vim.lsp.config(NAME, {
      init_options = server_settings(o),
      settings = { reportlint = server_settings(o) },
    })
  end
  local section = { profile = o.profile or "", lang = o.lang or "" }
  for _, client in ipairs((vim.lsp.get_clients or vim.lsp.get_active_clients)()) do
    if client.name == NAME then
      client.config.settings = { reportlint = server_settings(o) }
      call(client, "notify", "workspace/didChangeConfiguration", { settings = { reportlint = section } })
    end
  end
end

-- Setup ----------------------------------------------------------------------------------

function M.setup(opts)
  opts = opts or {}
  for key, value in pairs(opts) do
    local want = option_types[key]
    if not want then
      error(("reportlint.setup: unknown option %q"):format(tostring(key)), 2)
    elseif type(value) ~= want then
      error(("reportlint.setup: %s must be a %s, got %s"):format(key, want, type(value)), 2)
    end
  end
  local o = vim.tbl_extend("force", vim.deepcopy(defaults), opts)
  M.options = o

  if vim.lsp.config and vim.lsp.enable then
    -- Neovim 0.11+: the built-in configuration framework starts and reuses clients.
    vim.lsp.config(NAME, {
      cmd = o.cmd,
      filetypes = o.filetypes,
      root_markers = o.root_markers,
      -- Used instead of root_markers when set: the same search, but skips unnamed buffers.
      root_dir = function(bufnr, on_dir)
        if wanted(bufnr) then
          on_dir(M.find_root(bufnr, o.root_markers))
        end
      end,
      init_options = server_settings(o),
      settings = { reportlint = server_settings(o) },
      on_attach = o.on_attach,
      capabilities = o.capabilities,
    })
    vim.lsp.enable(NAME)
  else
    local group = api.nvim_create_augroup("reportlint", { clear = true })
    api.nvim_create_autocmd("FileType", {
      group = group,
      pattern = o.filetypes,
      callback = function(args)
        attach(args.buf)
      end,
      desc = "Start or attach the reportlint language server",
    })
    -- Buffers that were already open (setup() called late, e.g. by a plugin manager).
    for _, bufnr in ipairs(api.nvim_list_bufs()) do
      if api.nvim_buf_is_loaded(bufnr) and vim.tbl_contains(o.filetypes, vim.bo[bufnr].filetype) then
        attach(bufnr)
      end
    end
  end

  api.nvim_create_user_command("ReportlintInsertSkeleton", function()
    M.insert_skeleton(0)
  end, { desc = "reportlint: insert the report skeleton (插入报告骨架)" })
  api.nvim_create_user_command("ReportlintFixAll", function()
    M.fix_all(0)
  end, { desc = "reportlint: apply all safe fixes (修复所有可安全修复的问题)" })
end

return M
