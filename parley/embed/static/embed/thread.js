// Parley thread script: plain ES2020, no build step, loaded with script-src 'self'.
//
// The page HTML is the same for every reader (it is cached); everything personal happens here:
// the SSO token from the URL fragment is exchanged for a session token kept in sessionStorage,
// and the form, reply, edit, withdraw and report tools call the JSON API with it.
// Comment bodies are inserted as HTML only from the API's server-sanitised `body_html`;
// everything else is built with textContent.
"use strict";

(() => {
  const gettext = typeof window.gettext === "function" ? window.gettext : (s) => s;
  const interpolate =
    typeof window.interpolate === "function"
      ? window.interpolate
      : (fmt, obj) => fmt.replace(/%\(\w+\)s/g, (m) => obj[m.slice(2, -2)]);

  const locale = [navigator.language, document.documentElement.lang].filter(Boolean);
  let timeFormat;
  try {
    timeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  } catch (_err) {
    timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  }
  const numberFormat = new Intl.NumberFormat(locale);

  /** Rewrite <time datetime> in the reader's own language and time zone. */
  function localiseTimes(scope) {
    for (const el of scope.querySelectorAll("time[datetime]")) {
      const moment = new Date(el.getAttribute("datetime"));
      if (!Number.isNaN(moment.getTime())) el.textContent = timeFormat.format(moment);
    }
  }

  localiseTimes(document);
  const root = document.getElementById("parley");
  if (!root) return;

  const API = "/api/v1";
  const SESSION_KEY = "parley.session";
  const MINE_KEY = `parley.mine.${root.dataset.storyId}`;
  const storyId = root.dataset.storyId;
  const isOpen = root.dataset.open === "true";
  const bodyMax = Number(root.dataset.bodyMax) || 5000;
  const editWindowMs = (Number(root.dataset.editWindow) || 900) * 1000;
  const replyMaxDepth = Number(root.dataset.replyMaxDepth) || 3;
  let termsVersion = root.dataset.termsVersion || "";
  const embedded = document.body.classList.contains("embedded");

  const el = (tag, attrs = {}, text = "") => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (text) node.textContent = text;
    return node;
  };
  const part = (scope, role) => scope.querySelector(`[data-role="${role}"]`);
  const template = (role) => part(root, role).content.firstElementChild.cloneNode(true);

  // ---- fragment parameters (#sso=...&origin=...&login=...) --------------------------------
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ""));
  const ssoToken = fragment.get("sso");
  const parentOrigin = fragment.get("origin");
  const loginUrl = fragment.get("login");
  if (ssoToken || parentOrigin || loginUrl) {
    // Never leave a token in the address bar, the history or a bookmark.
    history.replaceState(null, "", location.pathname + location.search);
  }

  // ---- session ---------------------------------------------------------------------------
  let session = null;
  try {
    session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || "null");
  } catch (_err) {
    session = null;
  }
  const saveSession = (value) => {
    session = value;
    try {
      if (value) sessionStorage.setItem(SESSION_KEY, JSON.stringify(value));
      else sessionStorage.removeItem(SESSION_KEY);
    } catch (_err) {
      // Storage can be blocked in third-party frames: the session lasts for this page.
    }
  };

  class ApiError extends Error {
    constructor(message, status, data) {
      super(message);
      this.status = status;
      this.data = data || {};
    }
  }

  async function api(method, path, body, extraHeaders = {}) {
    const headers = { Accept: "application/json", ...extraHeaders };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (session && session.token) headers.Authorization = `Bearer ${session.token}`;
    let response;
    try {
      response = await fetch(API + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
      });
    } catch (_err) {
      throw new ApiError(gettext("Could not reach the server. Check your connection and try again."), 0);
    }
    let data = null;
    if (response.status !== 204) {
      try {
        data = await response.json();
      } catch (_err) {
        data = null;
      }
    }
    if (!response.ok) {
      if (response.status === 401 && session) {
        saveSession(null);
        renderAccount();
      }
      const detail = data && typeof data.detail === "string" ? data.detail : "";
      throw new ApiError(detail || gettext("Something went wrong. Please try again."), response.status, data);
    }
    return data;
  }

  const mine = () => {
    try {
      return JSON.parse(sessionStorage.getItem(MINE_KEY) || "[]");
    } catch (_err) {
      return [];
    }
  };
  const rememberMine = (id) => {
    try {
      sessionStorage.setItem(MINE_KEY, JSON.stringify([...new Set([...mine(), id])].slice(-50)));
    } catch (_err) {
      // best effort
    }
  };

  // ---- account bar -----------------------------------------------------------------------
  function renderAccount() {
    const account = part(root, "account");
    if (!account) return;
    part(account, "signed-out").hidden = Boolean(session);
    part(account, "signed-in").hidden = !session;
    if (session) part(account, "me-name").textContent = session.me.display_name;
    const signIn = part(account, "sign-in");
    if (signIn && loginUrl && /^https?:\/\//.test(loginUrl)) {
      signIn.href = loginUrl;
      signIn.target = "_top";
      signIn.hidden = false;
      const elsewhere = part(account, "sign-in-elsewhere");
      if (elsewhere) elsewhere.hidden = true;
    }
    renderCompose();
    renderTools();
  }

  function showError(scope, message, role = "error") {
    const box = part(scope, role);
    if (!box) return;
    box.textContent = message || "";
    box.hidden = !message;
  }

  root.addEventListener("click", (event) => {
    const signOut = event.target.closest('[data-action="sign-out"]');
    if (signOut) {
      saveSession(null);
      renderAccount();
    }
  });

  async function exchangeToken(token) {
    try {
      const data = await api("POST", "/sessions", { sso_token: token });
      saveSession({ token: data.session_token, me: data.me });
    } catch (err) {
      saveSession(null);
      showError(root, err.message, "account-error");
    }
  }

  // ---- character count -------------------------------------------------------------------
  function wireCounter(form) {
    const textarea = form.querySelector("textarea[name=body]");
    const count = part(form, "count");
    const submit = part(form, "submit");
    const update = () => {
      const length = textarea.value.length;
      count.textContent = interpolate(gettext("%(count)s / %(max)s characters"), {
        count: numberFormat.format(length),
        max: numberFormat.format(bodyMax),
      }, true);
      const over = length > bodyMax;
      // Announced once when it goes over (role=alert), not on every keystroke.
      if (over !== count.classList.contains("over")) {
        showError(
          form,
          over
            ? interpolate(
                gettext("Your comment is %(over)s characters too long."),
                { over: numberFormat.format(length - bodyMax) },
                true,
              )
            : "",
        );
      }
      count.classList.toggle("over", over);
      textarea.setAttribute("aria-invalid", over ? "true" : "false");
      if (submit) submit.disabled = over || form.dataset.busy === "true";
    };
    textarea.addEventListener("input", update);
    update();
    return update;
  }

  // ---- rendering a comment from the API ----------------------------------------------------
  function commentNode(comment, depth) {
    const item = el("li", {
      class: `parley-comment depth-${depth}`,
      id: `comment-${comment.id}`,
      "data-comment-id": String(comment.id),
      "data-author-id": String(comment.author.id),
      "data-created": comment.created_at,
      "data-depth": String(depth),
    });
    const card = el("article", { class: "parley-card" });
    const meta = el("header", { class: "parley-meta" });
    const name = el("span", { class: "parley-name" });
    name.append(el("bdi", {}, comment.author.display_name));
    const link = el("a", { class: "parley-time", href: `#comment-${comment.id}` });
    link.append(el("time", { datetime: comment.created_at }, comment.created_at));
    meta.append(name, " ", link);
    const body = el("div", { class: "parley-body" });
    body.innerHTML = comment.body_html; // sanitised on write by the server (nh3 allowlist)
    card.append(meta, body, el("div", { class: "parley-tools", "data-role": "tools" }));
    item.append(card);
    localiseTimes(item);
    return item;
  }

  function statusNote(comment) {
    if (comment.status === "pending") {
      return gettext("Your comment is waiting for moderation. It will appear once a moderator approves it.");
    }
    if (comment.status === "rejected") {
      const rule = comment.rule ? comment.rule.code : "";
      const option = rule ? root.querySelector(`[data-role="report-template"]`).content.querySelector(`option[value="${CSS.escape(rule)}"]`) : null;
      const label = option ? option.textContent : rule;
      return label
        ? interpolate(gettext("Your comment was not published: it breaks the rule %(rule)s."), { rule: label }, true)
        : gettext("Your comment was not published.");
    }
    return "";
  }

  /** Show the reader's own comments that are not public (pending or rejected). */
  function renderMineNote(comment) {
    const box = part(root, "mine");
    let note = box.querySelector(`[data-mine-id="${comment.id}"]`);
    const text = statusNote(comment);
    if (!text) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = el("div", { class: `parley-status ${comment.status}`, "data-mine-id": String(comment.id) });
      box.append(note);
    }
    note.className = `parley-status ${comment.status}`;
    note.replaceChildren(el("p", {}, text));
    if (comment.body_html) {
      const body = el("div", { class: "parley-body muted" });
      body.innerHTML = comment.body_html; // sanitised server-side
      note.append(body);
    }
  }

  async function refreshMine() {
    if (!session) return;
    for (const id of mine()) {
      if (document.getElementById(`comment-${id}`)) continue;
      try {
        const comment = await api("GET", `/comments/${id}`);
        if (comment.status === "published") {
          const item = commentNode(comment, 0);
          insertComment(item, comment);
        } else {
          renderMineNote(comment);
        }
      } catch (_err) {
        // withdrawn or gone: nothing to show
      }
    }
  }

  function insertComment(item, comment) {
    const list = part(root, "list");
    const empty = part(root, "empty");
    if (empty) empty.remove();
    if (comment.parent_id) {
      const parent = document.getElementById(`comment-${comment.parent_id}`);
      if (parent) {
        // After the parent's existing replies (siblings deeper than the parent).
        const parentDepth = Number(parent.dataset.depth);
        let after = parent;
        while (after.nextElementSibling && Number(after.nextElementSibling.dataset.depth) > parentDepth) {
          after = after.nextElementSibling;
        }
        after.after(item);
        return;
      }
    }
    if (new URLSearchParams(location.search).get("sort") === "newest") list.prepend(item);
    else list.append(item);
  }

  // ---- compose (new comment and reply) -----------------------------------------------------
  function buildComposeForm(parentId) {
    const form = template("compose-template");
    const update = wireCounter(form);
    const textarea = form.querySelector("textarea");
    if (parentId) {
      const replying = part(form, "replying");
      const parentName = document.querySelector(`#comment-${parentId} .parley-name`);
      replying.textContent = interpolate(gettext("Replying to %(name)s"), { name: parentName ? parentName.textContent : "" }, true);
      replying.hidden = false;
      textarea.setAttribute("aria-label", gettext("Your reply"));
      const submit = part(form, "submit");
      submit.textContent = gettext("Post reply");
      const cancel = form.querySelector('[data-action="cancel"]');
      cancel.hidden = false;
      cancel.addEventListener("click", () => form.remove());
    }
    let idempotencyKey = null;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.dataset.busy === "true") return;
      const body = textarea.value;
      if (!body.trim()) {
        showError(form, gettext("Write something first."));
        return;
      }
      // One key per submission: a double tap or a retry of the same text posts once.
      if (!idempotencyKey || form.dataset.keyFor !== body) {
        idempotencyKey = crypto.randomUUID();
        form.dataset.keyFor = body;
      }
      form.dataset.busy = "true";
      update();
      showError(form, "");
      const payload = { body, accept_terms: termsVersion };
      if (parentId) payload.parent_id = Number(parentId);
      try {
        const comment = await api("POST", `/stories/${storyId}/comments`, payload, {
          "Idempotency-Key": idempotencyKey,
        });
        rememberMine(comment.id);
        idempotencyKey = null;
        textarea.value = "";
        if (comment.status === "published") {
          const parent = parentId ? document.getElementById(`comment-${parentId}`) : null;
          const depth = parent ? Number(parent.dataset.depth) + 1 : 0;
          const item = commentNode(comment, depth);
          insertComment(item, comment);
          renderTools(item);
          item.classList.add("parley-new");
          item.scrollIntoView({ block: "nearest" });
        } else {
          renderMineNote(comment);
        }
        if (parentId) form.remove();
      } catch (err) {
        if (err.data && err.data.code === "terms_not_accepted" && err.data.terms_version) {
          termsVersion = err.data.terms_version; // the terms changed since the page was cached
        }
        showError(form, err.message);
      } finally {
        form.dataset.busy = "false";
        update();
        postHeight();
      }
    });
    return form;
  }

  function renderCompose() {
    const slot = part(root, "compose-slot");
    if (!slot) return;
    // The form repeats the licence notice right beside the button: say it once on screen.
    const noticeLicence = part(root, "notice-licence");
    if (noticeLicence) noticeLicence.hidden = Boolean(session && isOpen);
    if (!session || !isOpen) {
      slot.replaceChildren();
      for (const form of root.querySelectorAll(".parley-comment .parley-form")) form.remove();
      return;
    }
    if (!slot.firstElementChild) slot.append(buildComposeForm(null));
  }

  // ---- tools on each comment ------------------------------------------------------------------
  function toolButton(action, label) {
    return el("button", { type: "button", class: "link-button", "data-action": action }, label);
  }

  function renderTools(scope = root) {
    const items = scope.matches && scope.matches(".parley-comment") ? [scope] : scope.querySelectorAll(".parley-comment");
    for (const item of items) {
      const tools = part(item, "tools");
      if (!tools) continue;
      tools.replaceChildren();
      if (!session) continue;
      const own = String(session.me.id) === item.dataset.authorId;
      const depth = Number(item.dataset.depth);
      if (isOpen && depth < replyMaxDepth) tools.append(toolButton("reply", gettext("Reply")));
      if (own) {
        const age = Date.now() - new Date(item.dataset.created).getTime();
        if (age < editWindowMs) tools.append(toolButton("edit", gettext("Edit")));
        tools.append(toolButton("withdraw", gettext("Withdraw")));
      } else {
        tools.append(toolButton("report", gettext("Report")));
      }
    }
  }

  const bodyText = (body) =>
    [...body.querySelectorAll("p")].map((p) => p.innerText.trim()).join("\n\n") || body.innerText.trim();

  function openEdit(item) {
    if (item.querySelector(".parley-edit")) return;
    const body = item.querySelector(".parley-body");
    const form = template("edit-template");
    const textarea = form.querySelector("textarea");
    textarea.value = bodyText(body);
    const update = wireCounter(form);
    body.hidden = true;
    body.after(form);
    textarea.focus();
    form.querySelector('[data-action="cancel"]').addEventListener("click", () => {
      form.remove();
      body.hidden = false;
      postHeight();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.dataset.busy === "true") return;
      form.dataset.busy = "true";
      update();
      try {
        const comment = await api("PATCH", `/comments/${item.dataset.commentId}`, { body: textarea.value });
        form.remove();
        if (comment.status === "published") {
          body.innerHTML = comment.body_html; // sanitised server-side
          body.hidden = false;
          const meta = item.querySelector(".parley-meta");
          if (!meta.querySelector(".parley-edited")) meta.append(" ", el("span", { class: "parley-edited" }, gettext("edited")));
        } else {
          item.remove();
          renderMineNote(comment);
        }
      } catch (err) {
        showError(form, err.message);
      } finally {
        form.dataset.busy = "false";
        update();
        postHeight();
      }
    });
  }

  async function withdraw(item) {
    if (!window.confirm(gettext("Withdraw this comment? It will no longer be shown."))) return;
    try {
      await api("DELETE", `/comments/${item.dataset.commentId}`);
      const card = item.querySelector(".parley-card");
      card.replaceChildren(el("p", { class: "parley-status" }, gettext("You withdrew this comment.")));
    } catch (err) {
      const tools = part(item, "tools");
      tools.append(el("span", { class: "parley-error", role: "alert" }, err.message));
    }
  }

  function openReport(item) {
    if (item.querySelector(".parley-report")) return;
    const form = template("report-template");
    part(item, "tools").after(form);
    form.querySelector("textarea").focus();
    form.querySelector('[data-action="cancel"]').addEventListener("click", () => {
      form.remove();
      postHeight();
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const reason = form.querySelector("textarea[name=reason]").value;
      const rule = form.querySelector("select[name=rule]").value;
      if (!reason.trim()) {
        showError(form, gettext("Say why you are reporting this comment."));
        return;
      }
      const submit = part(form, "submit");
      submit.disabled = true;
      try {
        await api("POST", `/comments/${item.dataset.commentId}/reports`, { reason, rule });
        form.replaceWith(el("p", { class: "parley-status", role: "status" }, gettext("Thank you. The moderators will review this comment.")));
      } catch (err) {
        showError(form, err.message);
        submit.disabled = false;
      }
      postHeight();
    });
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const item = button.closest(".parley-comment");
    if (!item || !session) return;
    const action = button.dataset.action;
    if (action === "reply") {
      const existing = item.querySelector(":scope > .parley-card > .parley-form");
      if (existing) {
        existing.querySelector("textarea").focus();
        return;
      }
      const form = buildComposeForm(item.dataset.commentId);
      item.querySelector(".parley-card").append(form);
      form.querySelector("textarea").focus();
    } else if (action === "edit") {
      openEdit(item);
    } else if (action === "withdraw") {
      withdraw(item);
    } else if (action === "report") {
      openReport(item);
    }
    postHeight();
  });

  // ---- auto-resize when framed ----------------------------------------------------------------
  let lastHeight = 0;
  function postHeight() {
    if (!embedded || window.parent === window) return;
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height === lastHeight) return;
    lastHeight = height;
    // The height is not secret, but address the publisher's page when we know it.
    const target = parentOrigin && /^https?:\/\/[^/]+$/.test(parentOrigin) ? parentOrigin : "*";
    window.parent.postMessage({ type: "parley:height", height }, target);
  }
  if (embedded) {
    if ("ResizeObserver" in window) new ResizeObserver(postHeight).observe(document.body);
    window.addEventListener("load", postHeight);
  }

  // ---- start ------------------------------------------------------------------------------------
  (async () => {
    if (ssoToken) await exchangeToken(ssoToken);
    renderAccount();
    await refreshMine();
    postHeight();
    root.dataset.ready = "true";
  })();
})();
