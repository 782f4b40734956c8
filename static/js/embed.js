// Puts a campaign on another site, in a frame next to this script's tag:
//   <script src="https://HOST/static/js/embed.js" data-campaign="SLUG" async></script>
// The tag may appear several times on a page (several campaigns, or one twice).
// Options, as data- attributes on the tag:
//   data-height  the frame's height in pixels until the campaign tells its own (default 720)
//   data-source  a label for this placement, counted as HOST/LABEL (letters, digits, . _ -)
//   data-title   the frame's title for screen readers
// The campaign page works without this file too: see the iframe URL on its edit page.
"use strict";
(() => {
  const script = document.currentScript;
  if (!script || script.dataset.embedded || !/^[-\w]+$/.test(script.dataset.campaign || "")) {
    return;
  }
  script.dataset.embedded = "true";
  const origin = new URL(script.src).origin;
  const url = new URL(`/c/${script.dataset.campaign}/embed/`, origin);
  // The server trusts this only when the campaign lists this site.
  url.searchParams.set("host", window.location.origin);
  if (script.dataset.source) url.searchParams.set("source", script.dataset.source);

  const fallback = Number.parseInt(script.dataset.height, 10);
  const frame = document.createElement("iframe");
  frame.src = url.href;
  frame.title = script.dataset.title || "Write to your members of Congress";
  frame.className = "constituent-embed";
  frame.style.cssText = "display:block;width:100%;max-width:100%;border:0;";
  frame.style.height = `${Number.isFinite(fallback) && fallback > 0 ? fallback : 720}px`;
  script.after(frame);

  window.addEventListener("message", (event) => {
    // Only our own server's page in this very frame may resize it.
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    const data = event.data;
    if (!data || typeof data !== "object") return;
    if (data.type === "constituent:height" && Number.isFinite(data.height)) {
      frame.style.height = `${Math.min(Math.max(Math.ceil(data.height), 100), 20000)}px`;
    } else if (data.type === "constituent:step" && frame.getBoundingClientRect().top < 0) {
      // A new step loaded while the frame's top was scrolled away: show its start.
      frame.scrollIntoView({ block: "start" });
    }
  });
})();
