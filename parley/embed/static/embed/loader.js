// Parley embed loader: the one script a publisher adds to a story page.
//
//   <div id="parley-comments" data-story-url="https://news.example/story"
//        data-sso-token="<JWT signed by the publisher, optional>"
//        data-login-url="https://news.example/login (optional)"></div>
//   <script async src="https://parley.example/embed.js"></script>
//
// It creates an iframe of Parley's thread page for the story and keeps its height in step
// with the content through postMessage (only messages from Parley's own origin and from that
// iframe are believed). The SSO token travels in the iframe address's fragment, which is never
// sent to any server.
"use strict";

(() => {
  const script =
    document.currentScript || document.querySelector('script[src$="/embed.js"]');
  if (!script) return;
  const parleyOrigin = new URL(script.src, location.href).origin;

  function mount(container) {
    if (container.dataset.parleyMounted) return;
    container.dataset.parleyMounted = "true";
    const storyUrl = container.dataset.storyUrl || location.href.split("#")[0];
    const src = new URL("/embed/thread/", parleyOrigin);
    src.searchParams.set("url", storyUrl);
    const fragment = new URLSearchParams();
    fragment.set("origin", location.origin);
    if (container.dataset.ssoToken) fragment.set("sso", container.dataset.ssoToken);
    if (container.dataset.loginUrl) fragment.set("login", container.dataset.loginUrl);

    const frame = document.createElement("iframe");
    frame.src = `${src.href}#${fragment.toString()}`;
    frame.title = container.dataset.title || "Comments";
    frame.loading = "lazy";
    frame.setAttribute("scrolling", "no");
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.minHeight = "320px";
    container.replaceChildren(frame);

    window.addEventListener("message", (event) => {
      if (event.origin !== parleyOrigin || event.source !== frame.contentWindow) return;
      const data = event.data;
      if (!data || data.type !== "parley:height") return;
      const height = Number(data.height);
      if (Number.isFinite(height) && height > 0 && height < 100000) {
        frame.style.height = `${Math.ceil(height)}px`;
      }
    });
  }

  function start() {
    for (const container of document.querySelectorAll("#parley-comments, [data-parley-comments]")) {
      mount(container);
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
