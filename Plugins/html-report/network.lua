-- network: a force layout (Fruchterman–Reingold, fixed start and steps, so the same graph always gets the
-- same picture) and its drawing as inline SVG, the top nodes labelled.
local M = {}

--- Positions for nodes (a list, most important first) linked by edges ({a, b, weight}, 1-based indexes).
---@return table[] positions {x, y} in [0, 1]
function M.layout(n, edges, steps)
  local pos = {}
  for i = 1, n do
    local angle = 2 * math.pi * (i - 1) / math.max(n, 1)
    local r = 0.15 + 0.35 * (i - 1) / math.max(n - 1, 1)
    pos[i] = {x = 0.5 + r * math.cos(angle), y = 0.5 + r * math.sin(angle)}
  end
  if n < 2 then return pos end
  local k = math.sqrt(1 / n)
  local t = 0.1
  for _ = 1, steps or 150 do
    local dx, dy = {}, {}
    for i = 1, n do dx[i], dy[i] = 0, 0 end
    for i = 1, n do
      local pi = pos[i]
      for j = i + 1, n do
        local pj = pos[j]
        local x, y = pi.x - pj.x, pi.y - pj.y
        local d2 = x * x + y * y
        if d2 < 1e-9 then x, y, d2 = 1e-3 * (i - j), 1e-3, 1e-6 end
        local f = k * k / d2
        dx[i], dy[i] = dx[i] + x * f, dy[i] + y * f
        dx[j], dy[j] = dx[j] - x * f, dy[j] - y * f
      end
    end
    for _, e in ipairs(edges) do
      local a, b = pos[e[1]], pos[e[2]]
      local x, y = a.x - b.x, a.y - b.y
      local d = math.sqrt(x * x + y * y) + 1e-9
      local f = d / k * math.min(1 + math.log(e[3]), 4)
      dx[e[1]], dy[e[1]] = dx[e[1]] - x / d * f * d, dy[e[1]] - y / d * f * d
      dx[e[2]], dy[e[2]] = dx[e[2]] + x / d * f * d, dy[e[2]] + y / d * f * d
    end
    for i = 1, n do
      local d = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i]) + 1e-9
      local step = math.min(d, t)
      local p = pos[i]
      -- a weak pull to the centre keeps loose parts in the picture
      p.x = p.x + dx[i] / d * step + (0.5 - p.x) * 0.01
      p.y = p.y + dy[i] / d * step + (0.5 - p.y) * 0.01
    end
    t = t * 0.97
  end
  -- fit into [0.05, 0.95]
  local x0, x1, y0, y1 = math.huge, -math.huge, math.huge, -math.huge
  for _, p in ipairs(pos) do
    x0, x1 = math.min(x0, p.x), math.max(x1, p.x)
    y0, y1 = math.min(y0, p.y), math.max(y1, p.y)
  end
  for _, p in ipairs(pos) do
    p.x = 0.05 + 0.9 * (p.x - x0) / math.max(x1 - x0, 1e-9)
    p.y = 0.05 + 0.9 * (p.y - y0) / math.max(y1 - y0, 1e-9)
  end
  return pos
end

--- The SVG: nodes {name, href, color, size}, edges {a, b, weight}; the first `labelled` nodes named.
function M.svg(nodes, edges, options)
  local esc = quarry.html.escape
  local w, h = options.width or 760, options.height or 520
  local pos = M.layout(#nodes, edges)
  local out = {('<svg class="q-chart q-network" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s"><title>%s</title>')
    :format(w, h, w, h, esc(options.title), esc(options.title))}
  local top = 1
  for _, e in ipairs(edges) do top = math.max(top, e[3]) end
  for _, e in ipairs(edges) do
    local a, b = pos[e[1]], pos[e[2]]
    out[#out + 1] = ('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke-width="%.1f" class="q-edge"/>')
      :format(a.x * w, a.y * h, b.x * w, b.y * h, 0.5 + 3 * e[3] / top)
  end
  for i, node in ipairs(nodes) do
    local p = pos[i]
    out[#out + 1] = ('<a href="%s"><circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s"><title>%s</title></circle></a>')
      :format(esc(node.href), p.x * w, p.y * h, node.size, node.color, esc(node.name .. " (" .. node.type .. ")"))
  end
  for i = 1, math.min(options.labelled or 12, #nodes) do
    local p = pos[i]
    out[#out + 1] = ('<text x="%.1f" y="%.1f" class="q-label">%s</text>'):format(p.x * w + nodes[i].size + 2, p.y * h + 4, esc(nodes[i].name))
  end
  out[#out + 1] = "</svg>"
  return table.concat(out)
end

return M
