-- Minimal init for the end-to-end test: puts editors/nvim on the runtimepath, nothing else.
local this_file = debug.getinfo(1, "S").source:sub(2)
local plugin_dir = vim.fn.fnamemodify(this_file, ":p:h:h")
vim.opt.runtimepath:prepend(plugin_dir)
vim.opt.swapfile = false
