// The link chart: connected groups packed side by side, each laid out by a small force model.
"use strict";
const canvas = document.getElementById("chart");
const ctx = canvas.getContext("2d");
const COLOURS = { person: "#1d4ed8", vehicle: "#b54708", incident: "#b42318", report: "#98a2b3",
                  phone: "#067647", document: "#6941c6", passport: "#6941c6" };
let nodes = [], links = [], view = { x: 0, y: 0, k: 1 }, selected = null;

function repulse(members, t) {
  // Pairwise for small groups; for large ones, only between nodes in neighbouring cells of a
  // grid (linear in the number of nodes), which is what keeps 5,000+ nodes interactive.
  const n = members.length;
  if (n <= 400) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) push(members[i], members[j], t);
    return;
  }
  const CELL = 60, grid = new Map();
  for (const m of members) {
    const key = `${Math.floor(m.x / CELL)},${Math.floor(m.y / CELL)}`;
    if (!grid.has(key)) grid.set(key, []);
    grid.get(key).push(m);
  }
  for (const [key, cell] of grid) {
    const [cx, cy] = key.split(",").map(Number);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
      const other = grid.get(`${cx + dx},${cy + dy}`);
      if (!other) continue;
      for (const a of cell) for (const b of other) if (a.index < b.index) push(a, b, t);
    }
  }
}

function push(a, b, t) {
  const dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy + 0.01;
  const f = Math.min(300 / d2, 1) * t; a.x += dx * f; a.y += dy * f; b.x -= dx * f; b.y -= dy * f;
}

function layoutGroup(members, edges) {
  const n = members.length;
  members.forEach((m, i) => {
    const a = 2 * Math.PI * i / n, r = Math.sqrt(i + 1) * 14;  // a spiral: spread from the start
    m.index = i; m.x = Math.cos(a * 137.5) * r; m.y = Math.sin(a * 137.5) * r;
  });
  if (n < 3) return;
  const rounds = n <= 400 ? Math.max(15, Math.min(150, Math.floor(3e6 / (n * n)))) : 60;
  for (let r = 0; r < rounds; r++) {
    const t = 1 - r / rounds;
    repulse(members, t);
    for (const [a, b] of edges) {
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) + 0.01;
      const f = (d - 25) / d * 0.1 * t; a.x += dx * f; a.y += dy * f; b.x -= dx * f; b.y -= dy * f;
    }
  }
}

function layout(data) {
  const byId = new Map(data.nodes.map(n => [n.id, n]));
  nodes = data.nodes; links = data.links.map(l => ({ ...l, a: byId.get(l.source), b: byId.get(l.target) }));
  const groups = new Map();
  for (const n of nodes) { if (!groups.has(n.group)) groups.set(n.group, []); groups.get(n.group).push(n); }
  const edgesOf = new Map();
  for (const l of links) { const g = l.a.group; if (!edgesOf.has(g)) edgesOf.set(g, []); edgesOf.get(g).push([l.a, l.b]); }
  const ordered = [...groups.entries()].sort((x, y) => y[1].length - x[1].length);
  let x = 0, y = 0, rowHeight = 0; const width = 1600;
  for (const [g, members] of ordered) {
    layoutGroup(members, edgesOf.get(g) || []);
    const xs = members.map(m => m.x), ys = members.map(m => m.y);
    const minX = Math.min(...xs), minY = Math.min(...ys), w = Math.max(...xs) - minX + 40, h = Math.max(...ys) - minY + 40;
    if (x + w > width && x > 0) { x = 0; y += rowHeight; rowHeight = 0; }
    for (const m of members) { m.x += x - minX + 20; m.y += y - minY + 20; }
    x += w; rowHeight = Math.max(rowHeight, h);
  }
  const total = Math.max(width, x), height = y + rowHeight;
  view.k = Math.min(canvas.width / total, canvas.height / Math.max(height, 1), 2); view.x = 0; view.y = 0;
}

function draw() {
  ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(view.k, 0, 0, view.k, view.x, view.y);
  ctx.lineWidth = 1 / view.k;
  for (const l of links) {
    ctx.strokeStyle = l.relation === "match" ? "#1d4ed8" : "#c8ccd3";
    ctx.setLineDash(l.relation === "match" ? [4 / view.k, 3 / view.k] : []);
    ctx.beginPath(); ctx.moveTo(l.a.x, l.a.y); ctx.lineTo(l.b.x, l.b.y); ctx.stroke();
  }
  ctx.setLineDash([]);
  for (const n of nodes) {
    ctx.fillStyle = COLOURS[n.kind] || "#475467";
    const r = (n.records > 1 ? 6 : 4) + Math.min(n.degree, 10) * 0.3;
    ctx.beginPath(); ctx.arc(n.x, n.y, r, 0, 2 * Math.PI); ctx.fill();
    if (n.records > 1) { ctx.strokeStyle = "#111"; ctx.lineWidth = 2 / view.k; ctx.stroke(); ctx.lineWidth = 1 / view.k; }
    if (view.k > 0.8 || n === selected || n.records > 1) {
      ctx.fillStyle = "#1b2430"; ctx.font = `${11 / Math.max(view.k, 0.5)}px sans-serif`;
      ctx.fillText(n.agencies ? `${n.label} (${n.agencies})` : n.label, n.x + 7, n.y + 4);
    }
  }
}

function pick(event) {
  const rect = canvas.getBoundingClientRect();
  const px = (event.clientX - rect.left) * canvas.width / rect.width, py = (event.clientY - rect.top) * canvas.height / rect.height;
  const x = (px - view.x) / view.k, y = (py - view.y) / view.k;
  let best = null, bestD = (12 / view.k) ** 2;
  for (const n of nodes) { const d = (n.x - x) ** 2 + (n.y - y) ** 2; if (d < bestD) { best = n; bestD = d; } }
  return best;
}

canvas.addEventListener("click", (e) => {
  selected = pick(e); draw();
  const box = document.getElementById("selected");
  if (!selected) { box.textContent = "Click a node."; return; }
  box.innerHTML = "";
  const title = selected.href ? Object.assign(document.createElement("a"), { href: selected.href, textContent: selected.label }) : document.createTextNode(selected.label);
  box.append(title, document.createElement("br"), `${selected.kind}; ${selected.agencies || ""}; ${selected.records || 0} record(s); ${selected.degree} link(s)`);
});
canvas.addEventListener("wheel", (e) => {
  e.preventDefault(); const f = e.deltaY < 0 ? 1.2 : 1 / 1.2;
  const rect = canvas.getBoundingClientRect(); const px = (e.clientX - rect.left) * canvas.width / rect.width, py = (e.clientY - rect.top) * canvas.height / rect.height;
  view.x = px - (px - view.x) * f; view.y = py - (py - view.y) * f; view.k *= f; draw();
}, { passive: false });
let drag = null;
canvas.addEventListener("mousedown", (e) => { drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y }; });
window.addEventListener("mouseup", () => { drag = null; });
window.addEventListener("mousemove", (e) => { if (drag) { view.x = drag.vx + (e.clientX - drag.x) * 2; view.y = drag.vy + (e.clientY - drag.y) * 2; draw(); } });

const started = performance.now();
fetch("/api/v1/network").then(r => r.json()).then(data => {
  const fetched = performance.now();
  layout(data); draw();
  document.body.dataset.layout = String(Math.round(performance.now() - fetched));
  window.siroccoNetwork = data;
  document.getElementById("counts").textContent = `${data.nodes.length} nodes, ${data.links.length} links, ${data.groups.length} networks`;
  const list = document.getElementById("groups");
  for (const g of data.groups.slice(0, 20)) {
    list.append(Object.assign(document.createElement("li"), { textContent: `${g.members} persons/vehicles: ` + g.central.map(c => `${c.label} (${c.degree})`).join(", ") }));
  }
  document.body.dataset.rendered = String(Math.round(performance.now() - started));
});
