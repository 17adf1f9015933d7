/* Omzien at the door: one tap per check-in, and no tap silently lost.
 *
 * Without this script every button is an ordinary form and the pages work as they are.
 * With it, the check-in screen sends each tap in the background:
 *
 * - every tap becomes an operation in a queue kept in localStorage, shown as "saving"
 *   until the server confirms it;
 * - operations are sent one at a time, in the order they were tapped; the server makes
 *   each of them safe to repeat (one visit per person per session, and an anonymous +1
 *   carries its own UUID), so sending one again after a lost answer never counts twice;
 * - a tap that does not reach the server (no network, a timeout, a server error, logged
 *   out) stays in the queue, is shown as "not saved - tap to try again", and is sent
 *   again on the next tap, when the browser comes back online, and when a page loads;
 * - a tap the server refuses (a cancelled session, someone unknown) leaves the queue with
 *   the server's message on screen;
 * - a person checked in moves from the expected or found people to the list of who is in
 *   (undo brings them back), and the search is emptied and keeps the focus for the next.
 *
 * No inline scripts (the Content-Security-Policy allows only our own files): data and
 * texts come from data-attributes of the page.
 */
(function () {
  "use strict";

  var QUEUE_KEY = "omzien-door-queue";
  var TIMEOUT_MS = 10000;
  var SEARCH_DELAY_MS = 250;

  /* --- Small helpers for every door page ------------------------------------------ */

  // A form sent once: a second tap while the page is loading does not send it again.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-send-once")) { return; }
    if (form.dataset.sent === "true") { event.preventDefault(); return; }
    form.dataset.sent = "true";
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
        b.disabled = true;
      });
    }, 0);
  });

  // Print buttons only make sense with a script; without one they stay hidden.
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  /* --- The queue, kept in localStorage (or in memory when storage is unavailable) --- */

  var memoryQueue = [];

  function loadQueue() {
    try {
      var raw = window.localStorage.getItem(QUEUE_KEY);
      var parsed = raw ? JSON.parse(raw) : [];
      return Array.isArray(parsed) ? parsed : [];
    } catch (error) {
      return memoryQueue.slice();
    }
  }

  function saveQueue(queue) {
    memoryQueue = queue.slice();
    try {
      if (queue.length) {
        window.localStorage.setItem(QUEUE_KEY, JSON.stringify(queue));
      } else {
        window.localStorage.removeItem(QUEUE_KEY);
      }
    } catch (error) {
      // Private browsing or a full storage: the queue lives in memory for this page.
    }
  }

  function newToken() {
    var cryptoApi = window.crypto;
    if (cryptoApi && typeof cryptoApi.randomUUID === "function") {
      return cryptoApi.randomUUID();
    }
    // randomUUID needs a secure context (https or localhost); getRandomValues does not.
    var bytes = new Uint8Array(16);
    cryptoApi.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
      hex.slice(20)].join("-");
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  /* --- The check-in screen ---------------------------------------------------------- */

  var root = document.querySelector("[data-door]");
  var texts = root ? root.dataset : {};
  var sessionId = root ? root.dataset.sessionId : null;
  var anonymousBox = root ? document.getElementById("anonymous") : null;
  var busy = false;

  if (!root) {
    // Another door page: still send what an earlier page could not.
    processQueue();
    window.addEventListener("online", function () { processQueue(); });
    return;
  }

  function each(selector, callback, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), callback);
  }

  function personItems(personId) {
    return root.querySelectorAll('.person[data-person="' + personId + '"]');
  }

  // What the screen shows for a person: confirmed by the server, or waiting in the queue.
  function personState(personId, queue) {
    var ops = queue.filter(function (op) {
      return op.session === sessionId && op.person === personId;
    });
    if (!ops.length) {
      var item = personItems(personId)[0];
      return { state: item ? item.dataset.confirmed : "out", status: "saved" };
    }
    var last = ops[ops.length - 1];
    return {
      state: last.kind === "check-in" ? "in" : "out",
      status: ops.some(function (op) { return op.status === "failed"; }) ? "failed" : "pending",
    };
  }

  function renderPerson(item, current) {
    var shown = current.status === "saved" ? current.state : current.status;
    item.dataset.state = shown;
    var button = item.querySelector(".person-button");
    var status = item.querySelector(".tap-status");
    if (button) { button.disabled = shown === "in" || shown === "pending"; }
    if (status) {
      status.textContent = {
        in: texts.textCheckedIn,
        out: "",
        pending: texts.textSaving,
        failed: texts.textFailed,
      }[shown];
    }
  }

  function anonymousShown(queue) {
    var count = Number(anonymousBox ? anonymousBox.dataset.anonymous : 0);
    queue.forEach(function (op) {
      if (op.session !== sessionId) { return; }
      if (op.kind === "anonymous-add") { count += 1; }
      if (op.kind === "anonymous-remove") { count -= 1; }
    });
    return Math.max(count, 0);
  }

  function render() {
    var queue = loadQueue();
    each(".person", function (item) { renderPerson(item, personState(item.dataset.person, queue)); }, root);

    if (anonymousBox) {
      var anonymousOps = queue.filter(function (op) {
        return op.session === sessionId && op.kind.indexOf("anonymous") === 0;
      });
      var failed = anonymousOps.some(function (op) { return op.status === "failed"; });
      var shown = anonymousShown(queue);
      document.getElementById("anonymous-count").textContent = String(shown);
      document.getElementById("anonymous-remove").disabled = shown <= 0;
      anonymousBox.dataset.queue = anonymousOps.length ? (failed ? "failed" : "pending") : "";
      document.getElementById("anonymous-status").textContent = anonymousOps.length
        ? (failed ? texts.textFailed : texts.textSaving) : "";
    }

    var everyoneIn = document.getElementById("everyone-expected-is-in");
    if (everyoneIn) {
      var waiting = root.querySelectorAll(
        '#expected-list .person:not([data-state="in"]):not([data-state="pending"])');
      everyoneIn.hidden = waiting.length > 0;
    }

    var unsaved = queue.filter(function (op) { return op.status === "failed"; });
    var bar = document.getElementById("door-queue");
    if (bar) {
      bar.hidden = unsaved.length === 0;
      document.getElementById("door-queue-items").textContent = unsaved.map(function (op) {
        return op.label;
      }).join(", ");
    }
  }

  function showAlert(message) {
    var alert = document.getElementById("door-alert");
    if (!alert) { return; }
    alert.textContent = message;
    alert.hidden = !message;
  }

  function enqueue(op) {
    var queue = loadQueue();
    op.id = newToken();
    op.session = sessionId;
    op.status = "pending";
    queue.push(op);
    saveQueue(queue);
    showAlert("");
    render();
    processQueue();
  }

  // A person checked in from the search results also appears in the checked-in list,
  // so undoing stays one tap away after the search has changed.
  function showInCheckedInList(item) {
    var list = document.getElementById("checked-in-list");
    if (!list || list.querySelector('.person[data-person="' + item.dataset.person + '"]')) {
      return;
    }
    list.appendChild(item.cloneNode(true));
    var nobody = document.getElementById("nobody-yet");
    if (nobody) { nobody.hidden = true; }
  }

  function apply(op, data) {
    if (op.session !== sessionId) { return; }
    if (data.person !== undefined && data.person !== null) {
      each('.person[data-person="' + data.person + '"]', function (item) {
        item.dataset.confirmed = data.checked_in ? "in" : "out";
      }, root);
      if (!data.checked_in) {
        // Checked out for sure: off the checked-in list (search to check in again).
        var list = document.getElementById("checked-in-list");
        var nobody = document.getElementById("nobody-yet");
        if (list) {
          each('.person[data-person="' + data.person + '"]', function (item) {
            list.removeChild(item);
          }, list);
          if (nobody) { nobody.hidden = list.children.length > 0; }
        }
      }
    }
    if (anonymousBox && data.anonymous !== undefined) {
      anonymousBox.dataset.anonymous = String(data.anonymous);
      anonymousBox.dataset.lastToken = data.last_token || "";
    }
    var present = document.getElementById("present-count");
    if (present && data.present !== undefined) { present.textContent = String(data.present); }
  }

  root.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset.op;
    if (!kind) { return; }
    event.preventDefault();
    var queue = loadQueue();
    if (kind === "check-in" || kind === "undo") {
      var item = form.closest(".person");
      var personId = item.dataset.person;
      var current = personState(personId, queue);
      if (current.status === "failed") { processQueue(); return; }
      if (current.status === "pending") { return; }
      if ((kind === "check-in") === (current.state === "in")) { return; }
      if (kind === "check-in") { showInCheckedInList(item); }
      enqueue({ kind: kind, url: form.action, person: personId, fields: { person: personId },
        label: item.dataset.name });
      if (kind === "check-in") { clearSearch(); }
    } else if (kind === "anonymous-add") {
      enqueue({ kind: kind, url: form.action, fields: { token: newToken() }, label: "+1" });
    } else if (kind === "anonymous-remove") {
      if (anonymousShown(queue) <= 0) { return; }
      // The token of the visit to take off is chosen when it is first sent (see below).
      enqueue({ kind: kind, url: form.action, fields: {}, label: "\u22121" });
    }
  });

  root.addEventListener("click", function (event) {
    if (event.target.closest("[data-retry]")) { processQueue(); }
  });

  /* --- Type-ahead search: the same results the plain GET form gives ------------------ */

  var searchForm = document.getElementById("search-form");
  var searchInput = document.getElementById("search-input");
  var results = document.getElementById("results");
  var newVisitor = document.getElementById("new-visitor");
  var searchTimer = null;
  var searchNumber = 0;

  function runSearch() {
    var query = searchInput.value.trim();
    var number = ++searchNumber;
    var params = new URLSearchParams({ q: query });
    window.fetch(root.dataset.urlSearch + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    }).then(function (response) {
      // A redirect means logged out (to the log-in page): not results to show.
      if (!response.ok || response.redirected) { throw new Error(String(response.status)); }
      return response.text();
    }).then(function (html) {
      if (number !== searchNumber) { return; } // a newer search is on its way
      results.innerHTML = html;
      render();
      var url = window.location.pathname + (query ? "?" + params.toString() : "");
      window.history.replaceState(null, "", url);
      if (newVisitor) {
        newVisitor.href = root.dataset.urlRegister +
          (query ? "?" + new URLSearchParams({ naam: query }).toString() : "");
      }
    }).catch(function () {
      if (number !== searchNumber) { return; }
      results.textContent = "";
      var note = document.createElement("p");
      note.className = "door-error";
      note.textContent = texts.textSearchFailed;
      results.appendChild(note);
    });
  }

  // After a check-in the next visitor is someone else: an empty search, ready to type.
  function clearSearch() {
    if (!searchInput || !results) { return; }
    window.clearTimeout(searchTimer);
    searchNumber += 1; // an answer still on its way is no longer wanted
    searchInput.value = "";
    results.textContent = "";
    window.history.replaceState(null, "", window.location.pathname);
    if (newVisitor) { newVisitor.href = root.dataset.urlRegister; }
    searchInput.focus();
  }

  if (searchForm && searchInput && results) {
    searchInput.addEventListener("input", function () {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(runSearch, SEARCH_DELAY_MS);
    });
    searchForm.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(searchTimer);
      runSearch();
    });
    // Typed before this script was loaded: search for it now.
    if (searchInput.value.trim() !== (root.dataset.query || "")) { runSearch(); }
  }

  window.addEventListener("online", function () { processQueue(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { processQueue(); }
  });
  render();
  processQueue();

  /* --- Sending ----------------------------------------------------------------------- */

  function send(op) {
    var body = new URLSearchParams();
    Object.keys(op.fields).forEach(function (name) { body.append(name, op.fields[name]); });
    var controller = window.AbortController ? new window.AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    return window.fetch(op.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      signal: controller ? controller.signal : undefined,
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.ok && data.ok) { return { outcome: "saved", data: data }; }
        var status = response.status;
        // Refused for good: bad input, unknown or cancelled. Logged out (401), a stale
        // CSRF token (403), rate limits and server errors are worth another try.
        if (status >= 400 && status < 500 && [401, 403, 408, 429].indexOf(status) === -1) {
          return { outcome: "refused", message: data.error || texts.textRefused };
        }
        return { outcome: "failed", message: data.error || "" };
      });
    }, function () {
      return { outcome: "failed", message: "" };
    }).then(function (result) {
      if (timer) { window.clearTimeout(timer); }
      return result;
    });
  }

  function processQueue() {
    if (busy) { return; }
    var queue = loadQueue();
    if (!queue.length) { return; }
    busy = true;
    var op = queue[0];
    if (op.kind === "anonymous-remove" && op.fields.token === undefined) {
      // Chosen once, just before the first send, when every earlier tap has been
      // answered: a retry then takes off the same visit, never a second one.
      op.fields.token = op.session === sessionId && anonymousBox
        ? anonymousBox.dataset.lastToken || "" : "";
    }
    queue.forEach(function (waiting) { waiting.status = "pending"; });
    saveQueue(queue);
    if (root) { render(); }
    send(op).then(function (result) {
      busy = false;
      var current = loadQueue();
      if (result.outcome === "failed") {
        current.forEach(function (waiting) { waiting.status = "failed"; });
        saveQueue(current);
        if (root) {
          render();
          if (result.message) { showAlert(result.message); }
        }
        return;
      }
      saveQueue(current.filter(function (waiting) { return waiting.id !== op.id; }));
      if (root) {
        if (result.outcome === "saved") {
          apply(op, result.data);
        } else {
          showAlert(op.label + ": " + result.message);
        }
        render();
      }
      processQueue();
    });
  }
})();
