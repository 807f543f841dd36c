// The live feed: Server-Sent Events from /api/v1/stream (the sign-in cookie authenticates).
"use strict";
const feed = document.getElementById("feed");
const alerts = document.getElementById("alerts");
const status = document.getElementById("status");
const MAX_ITEMS = 500; // older items leave the page (they stay in the API)

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
function clock(iso) { return iso ? new Date(iso).toISOString().slice(11, 16) + "Z" : ""; }
function side(r) { return r.withheld ? `${r.agency}: withheld (ask ${r.ask})` : `${r.agency} ${r.id}`; }

function add(kind, id, at, ...content) {
  const item = el("li", { class: kind, "data-event": id }, el("time", {}, clock(at)), ...content);
  feed.prepend(item);
  while (feed.children.length > MAX_ITEMS) feed.lastChild.remove();
}

function showAlert(a, acknowledged) {
  if (document.querySelector(`[data-alert="${a.id}"]`)) return;
  const where = a.record && !a.record.withheld ? `${a.reported_by} record ${a.record.id}` : `${a.reported_by}'s report`;
  const box = el("div", { class: "urgent" + (acknowledged ? " done" : ""), "data-alert": a.id, role: "alert" },
    el("strong", {}, "LOOKOUT ALERT"), `${a.kind} ${a.watched && a.watched.properties ? "person" : a.watched} met in ${where}` +
    ` — issued by ${a.issued_by}${a.note ? ": " + a.note : ""}`);
  const button = el("button", { type: "button" }, acknowledged ? "Acknowledged" : "Acknowledge");
  button.disabled = acknowledged;
  button.addEventListener("click", async () => {
    const reply = await fetch(`/api/v1/alerts/${a.id}/ack`, { method: "POST" });
    if (reply.ok) { box.classList.add("done"); button.textContent = "Acknowledged"; button.disabled = true; }
  });
  box.append(button);
  alerts.prepend(box);
}

const render = {
  hit(d, id) {
    const link = el("a", { href: `/ui/hits/${d.id}` }, `hit ${d.id}`);
    add("hit", id, null, link, ` ${d.decision} ${d.score.toFixed(2)}: ${side(d.records[0])} ↔ ${side(d.records[1])}`);
  },
  alert(d, id) { showAlert(d, false); add("alert", id, d.at, `alert: lookout ${d.lookout} met in ${d.reported_by}'s report`); },
  report(d, id) {
    const i = d.incident || {};
    const what = i.place ? `incident at ${i.place}: ${i.arrested} arrested, ${i.intercepted} intercepted` : `${d.entities} records`;
    add("report", id, d.at, `${d.agency} report ${d.id}: ${what}`);
  },
  review(d, id) { add("review", id, d.at, el("a", { href: `/ui/hits/${d.hit}` }, `hit ${d.hit}`), ` ${d.verdict} by ${d.by}`); },
  ack(d, id) { add("ack", id, d.at, `alert ${d.alert} acknowledged by ${d.by}`); },
  request(d, id) { add("request", id, null, `${d.requester} asks ${d.owner} for a record of hit ${d.hit}`); },
  decision(d, id) { add("decision", id, null, `request ${d.request}: ${d.status} by ${d.owner}`); },
};

fetch("/api/v1/alerts").then(r => r.json()).then(body => {
  const me = document.getElementById("who").dataset.audience;
  for (const a of body.alerts) showAlert(a, a.acknowledged_by.includes(me));
});
const source = new EventSource("/api/v1/stream");
source.onopen = () => { status.textContent = "live"; };
source.onerror = () => { status.textContent = "reconnecting…"; };
for (const kind of Object.keys(render)) {
  source.addEventListener(kind, (e) => render[kind](JSON.parse(e.data), e.lastEventId));
}
