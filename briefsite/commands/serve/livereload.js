/* briefsite serve: live reload */ (() => {
const events = new EventSource("EVENTS?since=" + encodeURIComponent(document.currentScript.dataset.briefsiteBuild));
events.addEventListener("reload", () => location.reload());
events.addEventListener("error", (event) => {
  if (typeof event.data !== "string") return;
  const box = document.getElementById("briefsite-errors") || document.body.appendChild(document.createElement("div"));
  Object.assign(box, {id: "briefsite-errors", role: "alert"}).style.cssText = "position:fixed;inset:0 0 auto 0;"
    + "z-index:2147483647;max-height:100vh;overflow:auto;margin:0;padding:1rem 1.25rem;background:#2b0d0d;color:#fff;"
    + "border-bottom:4px solid #ff5c5c;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap";
  const line = (text, tag = "div") => Object.assign(document.createElement(tag), {textContent: text});
  box.replaceChildren(line("Build failed: fix and save, and this page reloads.", "strong"), ...JSON.parse(event.data)
    .map((e) => line(e.path + (e.line ? ":" + e.line + (e.column ? ":" + e.column : "") : "") + ": " + e.message)));
});
})();
