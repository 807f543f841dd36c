"use strict";
const form = document.getElementById("review");
for (const button of form.querySelectorAll("button[data-verdict]")) {
  button.addEventListener("click", async () => {
    const reply = await fetch(`/api/v1/hits/${form.dataset.hit}/review`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ verdict: button.dataset.verdict, note: document.getElementById("note").value }),
    });
    const status = document.getElementById("status");
    if (reply.ok) { status.textContent = button.dataset.verdict; status.className = "badge " + button.dataset.verdict; }
    else { status.textContent = "not recorded: " + reply.status; }
  });
}
