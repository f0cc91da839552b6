/* Parley moderator dashboard: keyboard flow, decisions without page reloads, local times.
   Loaded with `defer` from 'self' only (CSP script-src 'self'); no inline handlers. */
(function () {
  "use strict";

  var items = [];
  var current = -1;
  var pending = null; // "reject" | "remove" while the rule picker is open
  var i18n = {};

  function $(selector, root) { return (root || document).querySelector(selector); }

  function localiseTimes(root) {
    var nodes = (root || document).querySelectorAll("time[datetime]");
    for (var i = 0; i < nodes.length; i++) {
      var when = new Date(nodes[i].getAttribute("datetime"));
      if (!isNaN(when.getTime())) {
        nodes[i].title = nodes[i].getAttribute("datetime");
        nodes[i].textContent = when.toLocaleString();
      }
    }
  }

  function refresh() {
    items = Array.prototype.slice.call(document.querySelectorAll("ol.queue > li.item"));
  }

  function say(text) {
    var status = $("#status");
    if (status) { status.textContent = text; }
  }

  function select(index) {
    if (!items.length) { current = -1; return; }
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0 && items[current]) {
      items[current].classList.remove("current");
      items[current].removeAttribute("aria-current");
    }
    current = index;
    var item = items[current];
    item.classList.add("current");
    item.setAttribute("aria-current", "true");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function currentItem() { return current >= 0 ? items[current] : null; }

  function ruleOptions(item) {
    var selectBox = $("select.rule", item);
    return selectBox ? selectBox.options : [];
  }

  function openPicker(action) {
    var item = currentItem();
    if (!item || !$("form.decide", item)) { return; }
    if (action === "remove" && item.getAttribute("data-status") !== "published") { return; }
    pending = action;
    var picker = $("#picker");
    $("#picker-title").textContent = action === "remove" ? i18n.removeWith : i18n.rejectWith;
    picker.hidden = false;
  }

  function closePicker() {
    pending = null;
    var picker = $("#picker");
    if (picker) { picker.hidden = true; }
  }

  function decide(item, action, ruleCode) {
    var form = $("form.decide", item);
    if (!form || item.classList.contains("busy")) { return; }
    var data = new FormData(form);
    data.set("action", action);
    if (ruleCode) { data.set("rule", ruleCode); }
    item.classList.add("busy");
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      item.classList.remove("busy");
      if (result.ok) {
        var label = { approve: i18n.approved, reject: i18n.rejected, remove: i18n.removed }[action];
        finish(item, label + " · " + result.body.rule);
      } else {
        item.classList.add("failed");
        say(i18n.failed + ": " + (result.body.detail || result.body.code));
        if (result.body.code === "already_decided") { finish(item, result.body.detail); }
      }
    }).catch(function () {
      item.classList.remove("busy");
      say(i18n.failed);
    });
  }

  function finish(item, message) {
    var index = items.indexOf(item);
    item.classList.add("decided");
    item.classList.remove("current");
    item.parentNode.removeChild(item);
    say(message);
    refresh();
    if (!items.length) {
      say(message + " · " + i18n.empty);
      current = -1;
      return;
    }
    current = -1;
    select(Math.min(index, items.length - 1));
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var help = $("#help");
    if (event.key === "Escape") { closePicker(); return; }
    if (pending) {
      var number = parseInt(event.key, 10);
      if (number >= 1 && number <= 9) {
        event.preventDefault();
        var item = currentItem();
        var options = item ? ruleOptions(item) : [];
        if (options[number - 1]) {
          var action = pending;
          closePicker();
          decide(item, action, options[number - 1].value);
        }
      }
      return;
    }
    if (typing(event.target)) { return; }
    var item2 = currentItem();
    switch (event.key) {
      case "j": event.preventDefault(); select(current + 1); break;
      case "k": event.preventDefault(); select(current - 1); break;
      case "a":
        if (item2) { event.preventDefault(); decide(item2, "approve", null); }
        break;
      case "r": if (item2) { event.preventDefault(); openPicker("reject"); } break;
      case "x": if (item2) { event.preventDefault(); openPicker("remove"); } break;
      case " ":
        if (item2) {
          event.preventDefault();
          var box = $("input[type=checkbox]", item2);
          if (box) { box.checked = !box.checked; }
        }
        break;
      case "o":
      case "Enter":
        if (item2) { window.location.href = item2.getAttribute("data-detail-url"); }
        break;
      case "u": if (item2) { window.location.href = item2.getAttribute("data-user-url"); } break;
      case "n": var next = $("#next-page"); if (next) { window.location.href = next.href; } break;
      case "/": event.preventDefault(); var q = $("#search-q"); if (q) { q.focus(); } break;
      case "?":
        if (help) { if (help.open) { help.close(); } else { help.showModal(); } }
        break;
      default: break;
    }
  }

  function onClick(event) {
    var item = event.target.closest ? event.target.closest("li.item") : null;
    if (item && !typing(event.target) && event.target.tagName !== "BUTTON" && event.target.tagName !== "A") {
      refresh();
      select(items.indexOf(item));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var template = $("#i18n");
    if (template) {
      i18n = {
        approved: template.dataset.approved,
        rejected: template.dataset.rejected,
        removed: template.dataset.removed,
        rejectWith: template.dataset.rejectWith,
        removeWith: template.dataset.removeWith,
        failed: template.dataset.failed,
        empty: template.dataset.empty
      };
    }
    localiseTimes(document);
    refresh();
    if (items.length) { select(0); }
    document.addEventListener("keydown", onKey);
    document.addEventListener("click", onClick);
    document.body.setAttribute("data-ready", "true");
  });
})();
