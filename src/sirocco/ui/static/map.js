// The map: country borders from a file Sirocco serves, incidents, and pursuit routes over time.
"use strict";
const svg = document.getElementById("map");
const NS = "http://www.w3.org/2000/svg";
const BOX = { west: 5.5, east: 30.5, south: 39.5, north: 52.5 };
const W = 1000, H = 760, KX = Math.cos(46 * Math.PI / 180);
const scale = Math.min(W / ((BOX.east - BOX.west) * KX), H / (BOX.north - BOX.south));
const project = ([lon, lat]) => [((lon - BOX.west) * KX * scale).toFixed(1), ((BOX.north - lat) * scale).toFixed(1)];
const PARTICIPANTS = new Set(["Austria", "Bulgaria", "Croatia", "Macedonia", "Germany", "Hungary", "Romania", "Serbia", "Slovenia", "Switzerland", "Slovakia"]);

function add(tag, attrs, parent = svg) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  parent.append(node); return node;
}
function ring(points) { return "M" + points.map(p => project(p).join(",")).join("L") + "Z"; }

const started = performance.now();
Promise.all([fetch("/static/region.geojson").then(r => r.json()), fetch("/api/v1/map").then(r => r.json())]).then(([geo, data]) => {
  for (const f of geo.features) {
    const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
    const d = polygons.map(p => p.map(ring).join("")).join("");
    const path = add("path", { d, class: "country" + (PARTICIPANTS.has(f.properties.name) ? " part" : "") });
    add("title", {}, path).textContent = f.properties.name;
  }
  for (const i of data.incidents) {
    const [x, y] = project([i.lon, i.lat]);
    const dot = add("circle", { cx: x, cy: y, r: 4 + Math.sqrt(i.intercepted), class: "incident", "data-report": i.report });
    add("title", {}, dot).textContent = `${i.agency} ${i.place} ${i.time.slice(0, 16)}: ${i.arrested} arrested, ${i.intercepted} intercepted`;
  }
  const list = document.getElementById("routes");
  for (const r of data.routes) {
    const points = r.points.map(p => project([p.lon, p.lat]));
    add("polyline", { points: points.map(p => p.join(",")).join(" "), class: "route", "data-lookout": r.lookout });
    r.points.forEach((p, k) => {
      const [x, y] = points[k];
      add("circle", { cx: x, cy: y, r: 5, class: "stop" });
      add("text", { x: +x + 8, y: +y - 6 - 12 * (k % 2), class: "label" }).textContent = `${k + 1}. ${p.place} ${p.time.slice(11, 16)}Z (${p.agency})`;
    });
    list.append(Object.assign(document.createElement("li"), { className: "route-item",
      textContent: `${r.issued_by} lookout ${r.kind} ${r.subject}: ` + r.points.map(p => `${p.place} ${p.time.slice(11, 16)}Z`).join(" → ") }));
  }
  document.getElementById("counts").textContent = `${data.incidents.length} incidents, ${data.routes.length} pursuits`;
  document.body.dataset.rendered = String(Math.round(performance.now() - started));
});
