-- Neovim (0.7+) as an LSP client of `sip-tls serve --stdio`, run headless by
-- test/integration/neovim.test.ts:
--
--   SIPTLS_PROBE=probe.json nvim --headless -u NONE -i NONE -n -c "luafile lsp_probe.lua" FILE
--
-- probe.json: { cmd = {...}, root = DIR, out = FILE, filetype = 'kamailio-tls',
--   settings = {...}, waitForCodes = {...}, hover = {line=, character=},
--   codeActionFor = CODE, applyFixTitle = PATTERN, timeoutMs = N }
-- It starts the server with vim.lsp.start_client, attaches the current buffer, waits for the
-- diagnostics named in waitForCodes, asks for a hover and for code actions, applies the quick fix
-- in the buffer, waits for the server's new diagnostics, and writes everything it received as
-- JSON to `out`. Exits with :qall! on success, :cquit! 1 when something went wrong (the JSON then
-- has `error`).

local result = {
  nvim = vim.version(),
  publishes = {},   -- every textDocument/publishDiagnostics, in order (raw LSP params)
  diagnostics = nil, -- the buffer's latest publish once the expected codes arrived (before the fix)
  logs = {},        -- window/logMessage and window/showMessage
  steps = {},       -- what the probe did, for failure messages
}
local cfg

local function step(s)
  table.insert(result.steps, string.format('%d ms: %s', vim.loop.now() - (result.t0 or vim.loop.now()), s))
end

local function write_result()
  local path = (cfg and cfg.out) or os.getenv('SIPTLS_PROBE_OUT')
  if not path then return end
  local f = assert(io.open(path, 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function read_json(path)
  local f = assert(io.open(path, 'r'), 'cannot read ' .. tostring(path))
  local text = f:read('*a')
  f:close()
  return vim.json.decode(text)
end

local function latest_publish(uri)
  for i = #result.publishes, 1, -1 do
    if result.publishes[i].uri == uri then return result.publishes[i], i end
  end
  return nil, 0
end

local function has_codes(publish, codes)
  if not publish then return false end
  for _, code in ipairs(codes) do
    local found = false
    for _, d in ipairs(publish.diagnostics) do
      if d.code == code then found = true end
    end
    if not found then return false end
  end
  return true
end

local function find_diagnostic(publish, code)
  if not publish then return nil end
  for _, d in ipairs(publish.diagnostics) do
    if d.code == code then return d end
  end
  return nil
end

local function main()
  result.t0 = vim.loop.now()
  cfg = read_json(assert(os.getenv('SIPTLS_PROBE'), 'SIPTLS_PROBE is not set'))
  local timeout = cfg.timeoutMs or 15000
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = cfg.filetype
  local uri = vim.uri_from_bufnr(buf)
  result.uri = uri
  result.filetype = vim.bo[buf].filetype

  local exited = nil
  local handlers = {
    ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
      table.insert(result.publishes, params)
      pcall(vim.lsp.diagnostic.on_publish_diagnostics, err, params, ctx, config)
    end,
    ['window/logMessage'] = function(_, params)
      table.insert(result.logs, params.message)
    end,
    ['window/showMessage'] = function(_, params)
      table.insert(result.logs, 'showMessage: ' .. params.message)
    end,
  }
  local client_id = vim.lsp.start_client({
    name = 'sip-tls',
    cmd = cfg.cmd,
    cmd_cwd = cfg.root,
    root_dir = cfg.root,
    settings = cfg.settings,
    handlers = handlers,
    on_exit = function(code, signal)
      exited = { code = code, signal = signal }
    end,
  })
  assert(client_id, 'vim.lsp.start_client returned nil')
  step('client started')
  assert(vim.lsp.buf_attach_client(buf, client_id), 'buf_attach_client failed')

  local client
  assert(vim.wait(timeout, function()
    client = vim.lsp.get_client_by_id(client_id)
    return (client and client.initialized) or exited ~= nil
  end, 10), 'the server did not answer initialize within ' .. timeout .. ' ms')
  assert(not exited, 'the server exited during initialize: ' .. vim.inspect(exited))
  result.serverCapabilities = client.server_capabilities
  result.serverInfo = client.server_info or vim.NIL
  step('initialized')

  -- 1. diagnostics
  local got = vim.wait(timeout, function()
    return has_codes((latest_publish(uri)), cfg.waitForCodes or {})
  end, 10)
  step(got and 'diagnostics received' or 'timed out waiting for diagnostics')
  -- Let later publishes of the same round (other files) arrive too.
  vim.wait(200, function() return false end, 10)
  result.diagnostics = (latest_publish(uri)) or vim.NIL

  -- 2. hover (client.request_sync: asked even when the server does not advertise hoverProvider,
  -- so that the answer shows what the server does)
  if cfg.hover then
    local response, reason = client.request_sync('textDocument/hover', {
      textDocument = { uri = uri },
      position = cfg.hover,
    }, timeout, buf)
    result.hover = response or { timeout = reason or 'no response' }
    step('hover answered')
  end

  -- 3. code actions at the diagnostic, then apply the quick fix
  if cfg.codeActionFor then
    local publish = latest_publish(uri)
    local diagnostic = find_diagnostic(publish, cfg.codeActionFor)
    if diagnostic then
      local response, reason = client.request_sync('textDocument/codeAction', {
        textDocument = { uri = uri },
        range = diagnostic.range,
        context = { diagnostics = { diagnostic } },
      }, timeout, buf)
      result.codeActions = response or { timeout = reason or 'no response' }
      step('code actions answered')
      local actions = response and response.result
      if cfg.applyFixTitle and type(actions) == 'table' then
        for _, action in ipairs(actions) do
          if type(action.title) == 'string' and action.title:find(cfg.applyFixTitle) and action.edit then
            local _, before = latest_publish(uri)
            -- (a copy: Neovim annotates the edits it applies)
            vim.lsp.util.apply_workspace_edit(vim.deepcopy(action.edit), client.offset_encoding or 'utf-16')
            local line = diagnostic.range.start.line
            result.afterFix = {
              title = action.title,
              line = vim.api.nvim_buf_get_lines(buf, line, line + 1, false)[1],
              changedtick = vim.api.nvim_buf_get_changedtick(buf),
            }
            local cleared = vim.wait(timeout, function()
              local p, index = latest_publish(uri)
              return index > before and find_diagnostic(p, cfg.codeActionFor) == nil
            end, 10)
            result.afterFix.publish = (latest_publish(uri)) or vim.NIL
            result.afterFix.cleared = cleared
            step(cleared and 'fix applied, diagnostic gone' or 'fix applied, diagnostic still there')
            break
          end
        end
      end
    else
      result.codeActions = { missingDiagnostic = cfg.codeActionFor }
    end
  end

  -- 4. shut the server down cleanly (shutdown + exit) and record how it ended
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return exited ~= nil end, 10)
  if not exited then
    vim.lsp.stop_client(client_id, true)
    vim.wait(2000, function() return exited ~= nil end, 10)
  end
  result.serverExit = exited or vim.NIL
  step('server stopped')
end

local ok, err = xpcall(main, debug.traceback)
if not ok then
  result.error = tostring(err)
  pcall(write_result)
  vim.cmd('cquit! 1')
else
  local written, werr = pcall(write_result)
  if not written then
    io.stderr:write('cannot write the probe result: ' .. tostring(werr) .. '\n')
    vim.cmd('cquit! 1')
  end
  vim.cmd('qall!')
end
