// Progressive enhancement only: the embedded campaign works without this
// file. It tells the page embedding it (only the site the server named, one
// the campaign lists) how tall the content is, so embed.js can size the frame,
// and opens links to other sites outside the frame.
"use strict";
(() => {
  // Links to other sites open outside the frame: most sites refuse to be framed.
  document.querySelectorAll("a[href^='http']").forEach((link) => {
    if (link.origin === window.location.origin) return;
    link.target = "_blank";
    link.rel = "noopener";
  });
  const parentOrigin = document.body.dataset.parentOrigin;
  if (!parentOrigin || window.parent === window) return;
  let told = 0;
  const tell = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === told) return;
    told = height;
    window.parent.postMessage({ type: "constituent:height", height }, parentOrigin);
  };
  new ResizeObserver(tell).observe(document.documentElement);
  window.addEventListener("load", tell);
  tell();
  // A later step (members, errors, thanks) starts at its top.
  if (document.querySelector("#step-2, [data-error-summary], .embed-thanks")) {
    window.parent.postMessage({ type: "constituent:step" }, parentOrigin);
  }
})();
