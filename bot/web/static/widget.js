/*!
 * BackChat chat widget. Embed with one tag:
 *   <script src="https://WEB/static/widget.js" data-server="https://RASA" defer></script>
 * Options (data attributes): data-title, data-color (#rgb or #rrggbb), data-position
 * (right | left), data-open (true: open on load), data-greeting (teaser text beside the
 * launcher), data-footer, data-offline-message, data-storage (session | local),
 * data-start-payload (sent silently to start a new conversation, default /greet),
 * data-socket-path (default /socket.io).
 * Talks to Rasa's socket.io channel (session_request/session_confirm,
 * user_uttered/bot_uttered) with socket.io-client loaded from vendor/ beside this file.
 */
(function () {
  "use strict";

  var script =
    document.currentScript ||
    (function () {
      var all = document.querySelectorAll("script[src*='widget.js']");
      return all[all.length - 1];
    })();
  if (!script || window.BackChatWidget) return;

  var STORE_VERSION = 1;
  var MAX_KEPT_MESSAGES = 300;
  var MAX_LENGTH = 2000;
  var OFFLINE_AFTER_MS = 10000;
  var OFFLINE_AFTER_ERRORS = 3;
  var TYPING_GIVE_UP_MS = 45000;

  // ---------------------------------------------------------------- configuration
  var data = script.dataset || {};
  var base = new URL(".", script.src).href;

  function flag(value) {
    return value === "" || value === "true" || value === "1" || value === "yes";
  }

  var serverUrl = new URL(data.server || new URL(script.src).origin, document.baseURI);
  var config = {
    origin: serverUrl.origin,
    path: data.socketPath || serverUrl.pathname.replace(/\/+$/, "") + "/socket.io",
    title: data.title || "BackChat",
    color: parseColor(data.color) || [11, 85, 99],
    position: data.position === "left" ? "left" : "right",
    open: flag(data.open),
    greeting: data.greeting || "",
    footer: data.footer || "",
    offline:
      data.offlineMessage ||
      "The chat can't reach its server right now. Please try again in a few minutes.",
    startPayload: data.startPayload === undefined ? "/greet" : data.startPayload,
    storage: data.storage === "local" ? "localStorage" : "sessionStorage",
  };
  var storeKey = "backchat:" + config.origin + config.path;

  // ---------------------------------------------------------------- colours (WCAG AA)
  function parseColor(value) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!m) return null;
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return [0, 2, 4].map(function (i) {
      return parseInt(hex.slice(i, i + 2), 16);
    });
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var la = luminance(a);
    var lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }
  function toCss(rgb) {
    return "rgb(" + rgb.map(Math.round).join(",") + ")";
  }
  function darkenUntil(rgb, against, ratio) {
    var c = rgb.slice();
    for (var i = 0; i < 40 && contrast(c, against) < ratio; i++) {
      c = c.map(function (v) {
        return v * 0.9;
      });
    }
    return c;
  }
  var WHITE = [255, 255, 255];
  var INK = [17, 24, 39];
  var BOT_BUBBLE = [238, 242, 245];
  var accent = config.color;
  if (Math.max(contrast(accent, WHITE), contrast(accent, INK)) < 4.5) {
    accent = darkenUntil(accent, WHITE, 4.5);
  }
  var onAccent = contrast(accent, WHITE) >= contrast(accent, INK) ? WHITE : INK;
  // The accent as text or border on light backgrounds (links, quick replies, focus).
  var accentText = darkenUntil(config.color, BOT_BUBBLE, 4.6);

  // ---------------------------------------------------------------- storage
  var store = (function () {
    try {
      var s = window[config.storage];
      s.setItem(storeKey + ":probe", "1");
      s.removeItem(storeKey + ":probe");
      return s;
    } catch (e) {
      return null; // storage blocked: the conversation lasts as long as the page
    }
  })();

  function freshState() {
    return { v: STORE_VERSION, token: null, messages: [], pending: [], unread: 0, open: false };
  }
  function loadState() {
    try {
      var saved = store && JSON.parse(store.getItem(storeKey) || "null");
      if (saved && saved.v === STORE_VERSION && Array.isArray(saved.messages)) {
        saved.pending = Array.isArray(saved.pending) ? saved.pending : [];
        return saved;
      }
    } catch (e) {
      /* unreadable: start afresh */
    }
    return freshState();
  }
  var state = loadState();
  var wrap = null;
  function save() {
    if (wrap) wrap.setAttribute("data-pending", String(state.pending.length));
    if (!store) return;
    state.messages = state.messages.slice(-MAX_KEPT_MESSAGES);
    try {
      store.setItem(storeKey, JSON.stringify(state));
    } catch (e) {
      /* full or blocked: keep going in memory */
    }
  }

  function uid() {
    if (window.crypto && crypto.getRandomValues) {
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      return Array.prototype.map
        .call(bytes, function (b) {
          return ("0" + b.toString(16)).slice(-2);
        })
        .join("");
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }
  function sessionIdOf(token) {
    return token ? String(token).split(".")[0] : null;
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "class") node.className = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : value);
      });
    }
    (children || []).forEach(function (child) {
      if (child)
        node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  var SVG_NS = "http://www.w3.org/2000/svg";
  function icon(path) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }
  var ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close:
      "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4L12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z",
    restart: "M12 5V2L7 6l5 4V7a5 5 0 1 1-5 5H5a7 7 0 1 0 7-7z",
    send: "M3 20.5 21 12 3 3.5V10l12 2-12 2z",
  };

  // ---------------------------------------------------------------- safe markdown
  // Builds DOM nodes, never HTML strings: text is always text. Supported: **bold**,
  // *emphasis*, [links](url), bare http(s) URLs, "- " and "1. " lists, line breaks.
  var SAFE_URL = /^(https?:\/\/|mailto:|tel:)/i;
  var INLINE = new RegExp(
    [
      "\\[([^\\]\\n]{1,300})\\]\\(\\s*((?:https?:\\/\\/|mailto:|tel:)[^\\s()]{1,2000})\\s*\\)",
      "\\*\\*([^\\n]+?)\\*\\*",
      "(https?:\\/\\/[^\\s<>\"']+)",
      "\\*([^*\\n]+?)\\*",
    ].join("|"),
    "gi",
  );

  function link(href, label) {
    if (!SAFE_URL.test(href)) return document.createTextNode(label);
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer" });
    a.textContent = label;
    a.appendChild(el("span", { class: "sr-only", text: " (opens in a new tab)" }));
    return a;
  }

  function inline(text, parent, depth) {
    var last = 0;
    var match;
    INLINE.lastIndex = 0;
    var matches = [];
    while ((match = INLINE.exec(text))) matches.push(match);
    matches.forEach(function (m) {
      if (m.index < last) return;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var consumed = m[0].length;
      if (m[1] !== undefined) {
        parent.appendChild(link(m[2], m[1]));
      } else if (m[3] !== undefined) {
        var strong = el("strong");
        if (depth < 2) inline(m[3], strong, depth + 1);
        else strong.textContent = m[3];
        parent.appendChild(strong);
      } else if (m[4] !== undefined) {
        var url = m[4].replace(/[.,;:!?)\]]+$/, "");
        consumed = url.length;
        parent.appendChild(link(url, url));
      } else {
        var em = el("em");
        em.textContent = m[5];
        parent.appendChild(em);
      }
      last = m.index + consumed;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function markdown(text) {
    var frag = document.createDocumentFragment();
    var list = null;
    var para = null;
    String(text || "")
      .replace(/\r\n?/g, "\n")
      .split("\n")
      .forEach(function (line) {
        var bullet = /^\s*[-*\u2022]\s+(.*)$/.exec(line);
        var numbered = /^\s*(\d{1,4})[.)]\s+(.*)$/.exec(line);
        if (bullet || numbered) {
          var tag = bullet ? "ul" : "ol";
          if (!list || list.tagName.toLowerCase() !== tag) {
            list = el(tag);
            if (numbered && numbered[1] !== "1") list.setAttribute("start", numbered[1]);
            frag.appendChild(list);
          }
          var item = el("li");
          inline(bullet ? bullet[1] : numbered[2], item, 0);
          list.appendChild(item);
          para = null;
        } else if (!line.trim()) {
          list = null;
          para = null;
        } else {
          list = null;
          if (para) para.appendChild(el("br"));
          else frag.appendChild((para = el("p")));
          inline(line, para, 0);
        }
      });
    return frag;
  }

  // ---------------------------------------------------------------- building the UI
  var host = el("div", { id: "backchat-widget", "data-backchat": "" });
  var root = host.attachShadow({ mode: "open" });
  var stylesheet = el("link", { rel: "stylesheet", href: base + "widget.css" });
  root.appendChild(stylesheet);

  wrap = el("div", { class: "wrap pos-" + config.position, hidden: true });
  wrap.style.setProperty("--bc-accent", toCss(accent));
  wrap.style.setProperty("--bc-on-accent", toCss(onAccent));
  wrap.style.setProperty("--bc-accent-text", toCss(accentText));
  root.appendChild(wrap);

  var ui = {};
  ui.badge = el("span", { class: "badge", "aria-hidden": "true", hidden: true });
  ui.launcher = el(
    "button",
    {
      type: "button",
      class: "launcher",
      "aria-expanded": "false",
      "aria-controls": "bc-panel",
      onclick: function () {
        if (isOpen()) closePanel();
        else openPanel();
      },
    },
    [icon(ICONS.chat), icon(ICONS.close), ui.badge],
  );
  ui.teaserText = el("button", {
    type: "button",
    class: "teaser-text",
    text: config.greeting,
    onclick: function () {
      openPanel();
    },
  });
  ui.teaser = el("div", { class: "teaser", hidden: true }, [
    ui.teaserText,
    el("button", {
      type: "button",
      class: "teaser-close",
      "aria-label": "Dismiss message",
      text: "\u00d7",
      onclick: function () {
        state.teaserDismissed = true;
        save();
        renderTeaser();
        ui.launcher.focus();
      },
    }),
  ]);

  ui.statusText = el("span", { class: "status-text", text: "Not connected" });
  ui.status = el("p", { class: "status", role: "status" }, [
    el("span", { class: "dot", "aria-hidden": "true" }),
    ui.statusText,
  ]);
  ui.restart = el(
    "button",
    {
      type: "button",
      class: "icon-button restart",
      "aria-label": "Start over",
      title: "Start over",
      onclick: askRestart,
    },
    [icon(ICONS.restart)],
  );
  ui.close = el(
    "button",
    {
      type: "button",
      class: "icon-button close",
      "aria-label": "Close chat",
      title: "Close chat",
      onclick: function () {
        closePanel();
      },
    },
    [icon(ICONS.close)],
  );
  ui.confirmYes = el("button", {
    type: "button",
    class: "primary",
    text: "Start over",
    onclick: function () {
      startOver();
    },
  });
  ui.confirmNo = el("button", {
    type: "button",
    class: "secondary",
    text: "Cancel",
    onclick: function () {
      hideConfirm();
      ui.restart.focus();
    },
  });
  ui.confirm = el("div", { class: "confirm", hidden: true }, [
    el("p", {
      id: "bc-confirm-text",
      text: "Start a new conversation? The messages on this device will be cleared.",
    }),
    el("div", { class: "confirm-actions", role: "group", "aria-labelledby": "bc-confirm-text" }, [
      ui.confirmYes,
      ui.confirmNo,
    ]),
  ]);
  ui.bannerText = el("p", { class: "banner-text" });
  ui.retry = el("button", {
    type: "button",
    class: "secondary",
    text: "Try again",
    hidden: true,
    onclick: function () {
      retryNow();
    },
  });
  ui.banner = el("div", { class: "banner", role: "alert", hidden: true }, [
    ui.bannerText,
    ui.retry,
  ]);
  ui.typing = el("div", { class: "msg typing", hidden: true }, [
    el("span", { class: "sr-only", text: config.title + " is typing" }),
    el("div", { class: "bubble", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
  ]);
  ui.messages = el("div", { class: "messages" });
  ui.log = el(
    "div",
    {
      class: "log",
      role: "log",
      "aria-live": "off",
      "aria-label": "Conversation with " + config.title,
      tabindex: "0",
    },
    [ui.messages, ui.typing],
  );
  ui.quick = el("div", {
    class: "quick",
    role: "group",
    "aria-label": "Suggested replies",
    hidden: true,
  });
  ui.input = el("textarea", {
    id: "bc-input",
    rows: "1",
    maxlength: String(MAX_LENGTH),
    placeholder: "Type your message\u2026",
    autocomplete: "off",
    enterkeyhint: "send",
  });
  ui.send = el("button", { type: "submit", class: "send", "aria-label": "Send" }, [
    icon(ICONS.send),
  ]);
  ui.form = el("form", { class: "composer", novalidate: true }, [
    el("label", { for: "bc-input", class: "sr-only", text: "Message to " + config.title }),
    ui.input,
    ui.send,
  ]);
  ui.announcer = el("div", { class: "sr-only", "aria-live": "polite", "aria-atomic": "false" });
  ui.panel = el(
    "section",
    { id: "bc-panel", class: "panel", role: "dialog", "aria-labelledby": "bc-title", hidden: true },
    [
      el("header", { class: "head" }, [
        el("div", { class: "titles" }, [
          el("h2", { id: "bc-title", text: config.title }),
          ui.status,
        ]),
        ui.restart,
        ui.close,
      ]),
      ui.confirm,
      ui.banner,
      ui.log,
      ui.quick,
      ui.form,
      config.footer ? el("p", { class: "footer", text: config.footer }) : null,
      ui.announcer,
    ],
  );
  wrap.appendChild(ui.panel);
  wrap.appendChild(ui.teaser);
  wrap.appendChild(ui.launcher);

  // ---------------------------------------------------------------- rendering
  function formatTime(ts) {
    var d = new Date(ts);
    var time = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    if (d.toDateString() === new Date().toDateString()) return time;
    return d.toLocaleDateString([], { month: "short", day: "numeric" }) + ", " + time;
  }

  function messageNode(msg) {
    var who = msg.from === "user" ? "You" : msg.from === "bot" ? config.title : "Notice";
    var bubble = el("div", { class: "bubble" });
    if (msg.from === "bot") {
      bubble.appendChild(markdown(msg.text));
      if (msg.image && SAFE_URL.test(msg.image)) {
        bubble.appendChild(el("img", { src: msg.image, alt: "", loading: "lazy" }));
      }
    } else {
      bubble.textContent = msg.text;
    }
    var meta = el("div", { class: "meta" }, [
      el("time", { datetime: new Date(msg.ts).toISOString(), text: formatTime(msg.ts) }),
    ]);
    if (msg.from === "user" && msg.status === "pending" && !online) {
      meta.appendChild(
        el("span", { class: "pending", text: " \u00b7 Not sent yet: will send when reconnected" }),
      );
    } else if (msg.from === "user" && msg.status === "failed") {
      meta.appendChild(
        el("span", { class: "failed", text: " \u00b7 " + (msg.error || "Not sent") }),
      );
    }
    return el("div", { class: "msg " + msg.from, "data-id": msg.id }, [
      el("span", { class: "sr-only", text: who + " said: " }),
      bubble,
      meta,
    ]);
  }

  function renderMessages() {
    ui.messages.textContent = "";
    state.messages.forEach(function (msg) {
      ui.messages.appendChild(messageNode(msg));
    });
    renderQuickReplies();
    scrollToEnd();
  }

  function appendMessage(msg) {
    state.messages.push(msg);
    save();
    var node = messageNode(msg);
    ui.messages.appendChild(node);
    renderQuickReplies();
    scrollToEnd();
    if (msg.from !== "user") {
      var who = msg.from === "bot" ? config.title + ": " : "";
      announce(who + node.querySelector(".bubble").textContent);
    }
  }

  function refreshMessage(msg) {
    var old = ui.messages.querySelector('[data-id="' + msg.id + '"]');
    if (old) old.replaceWith(messageNode(msg));
  }

  function scrollToEnd() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function renderQuickReplies() {
    var last = state.messages[state.messages.length - 1];
    var buttons = last && last.from === "bot" && last.buttons ? last.buttons : [];
    var hadFocus = root.activeElement && ui.quick.contains(root.activeElement);
    ui.quick.textContent = "";
    buttons.forEach(function (b) {
      ui.quick.appendChild(
        el("button", {
          type: "button",
          class: "reply",
          text: b.title,
          onclick: function () {
            sendUserMessage(b.payload, b.title);
            ui.input.focus();
          },
        }),
      );
    });
    ui.quick.hidden = buttons.length === 0;
    if (hadFocus) ui.input.focus();
  }

  function renderBadge() {
    var n = state.unread || 0;
    ui.badge.hidden = n === 0 || isOpen();
    ui.badge.textContent = n > 9 ? "9+" : String(n);
    var label = isOpen() ? "Close chat" : "Open chat with " + config.title;
    if (n && !isOpen()) label += " (" + n + " unread message" + (n === 1 ? "" : "s") + ")";
    ui.launcher.setAttribute("aria-label", label);
  }

  function renderTeaser() {
    ui.teaser.hidden =
      !config.greeting || isOpen() || state.teaserDismissed || state.messages.length > 0;
  }

  var typingTimer = null;
  function showTyping() {
    ui.typing.hidden = false;
    scrollToEnd();
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () {
      hideTyping();
      if (state.pending.length && online) {
        appendMessage(
          system("No reply yet. The assistant may be busy: please wait a moment or try again."),
        );
      }
    }, TYPING_GIVE_UP_MS);
  }
  function hideTyping() {
    clearTimeout(typingTimer);
    ui.typing.hidden = true;
  }

  function announce(text) {
    ui.announcer.appendChild(el("p", { text: text }));
    while (ui.announcer.childNodes.length > 5) ui.announcer.removeChild(ui.announcer.firstChild);
  }

  function system(text) {
    return { id: uid(), from: "system", text: text, ts: Date.now() };
  }

  // ---------------------------------------------------------------- panel
  function isOpen() {
    return !ui.panel.hidden;
  }
  function openPanel(options) {
    ui.panel.hidden = false;
    wrap.classList.add("is-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    state.open = true;
    state.unread = 0;
    save();
    renderBadge();
    renderTeaser();
    scrollToEnd();
    connect();
    if (!options || options.focus !== false) ui.input.focus();
  }
  function closePanel() {
    ui.panel.hidden = true;
    wrap.classList.remove("is-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    hideConfirm();
    renderBadge();
    renderTeaser();
    ui.launcher.focus();
  }
  ui.panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.stopPropagation();
      if (!ui.confirm.hidden) {
        hideConfirm();
        ui.restart.focus();
      } else {
        closePanel();
      }
    }
  });

  function askRestart() {
    ui.confirm.hidden = false;
    ui.confirmYes.focus();
  }
  function hideConfirm() {
    ui.confirm.hidden = true;
  }
  function startOver() {
    hideConfirm();
    hideTyping();
    var open = state.open;
    state = freshState();
    state.open = open;
    state.teaserDismissed = true;
    save();
    renderMessages();
    renderBadge();
    ui.input.value = "";
    ui.input.focus();
    announce("A new conversation has started.");
    inflight = {};
    online = false; // nothing is sent until the new session is confirmed
    if (socket && socket.connected) {
      switching = true; // replies still on their way from the old conversation are dropped
      socket.emit("session_request", { session_id: null });
    } else {
      connect();
    }
  }

  // ---------------------------------------------------------------- composer
  ui.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = ui.input.value.trim();
    if (!text) {
      ui.input.focus();
      return;
    }
    ui.input.value = "";
    autosize();
    sendUserMessage(text, text);
    ui.input.focus();
  });
  ui.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      if (ui.form.requestSubmit) ui.form.requestSubmit();
      else ui.send.click();
    }
  });
  function autosize() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 120) + "px";
  }
  ui.input.addEventListener("input", autosize);

  function sendUserMessage(payload, shown) {
    var id = uid();
    appendMessage({ id: id, from: "user", text: shown, ts: Date.now(), status: "pending" });
    state.pending.push({ id: id, payload: payload });
    save();
    renderQuickReplies();
    if (online) showTyping();
    flush();
  }

  // ---------------------------------------------------------------- connection
  var socket = null;
  var online = false; // socket connected and session confirmed
  var inflight = {};
  var switching = false;
  var errors = 0;
  var offlineTimer = null;
  var ioPromise = null;

  function loadSocketIo() {
    if (ioPromise) return ioPromise;
    ioPromise = new Promise(function (resolve, reject) {
      var hadIo = Object.prototype.hasOwnProperty.call(window, "io");
      var previousIo = window.io;
      var previousDefine = window.define;
      var amd = typeof previousDefine === "function" && previousDefine.amd;
      if (amd) window.define = undefined; // load as a plain script, not an AMD module
      var tag = document.createElement("script");
      tag.src = base + "vendor/socket.io.min.js";
      tag.async = true;
      function restore() {
        if (amd) window.define = previousDefine;
        if (hadIo) window.io = previousIo;
        else {
          try {
            delete window.io;
          } catch (e) {
            window.io = undefined;
          }
        }
      }
      tag.onload = function () {
        var io = window.io;
        restore();
        if (typeof io === "function") resolve(io);
        else reject(new Error("socket.io-client did not load"));
      };
      tag.onerror = function () {
        restore();
        ioPromise = null;
        reject(new Error("socket.io-client could not be loaded"));
      };
      document.head.appendChild(tag);
    });
    return ioPromise;
  }

  function setStatus(kind) {
    var labels = {
      idle: "Not connected",
      connecting: "Connecting\u2026",
      online: "Online",
      reconnecting: "Reconnecting\u2026",
      offline: "Offline",
    };
    wrap.setAttribute("data-connection", kind);
    ui.statusText.textContent = labels[kind];
    if (kind === "online") {
      ui.banner.hidden = true;
      ui.retry.hidden = true;
    } else if (kind === "reconnecting") {
      ui.bannerText.textContent =
        "Connection lost. Reconnecting\u2026 Messages you send now will be sent once the connection is back.";
      ui.retry.hidden = true;
      ui.banner.hidden = false;
    } else if (kind === "offline") {
      ui.bannerText.textContent = config.offline;
      ui.retry.hidden = false;
      ui.banner.hidden = false;
    }
  }

  function armOfflineTimer() {
    clearTimeout(offlineTimer);
    offlineTimer = setTimeout(function () {
      if (!online) goOffline();
    }, OFFLINE_AFTER_MS);
  }
  function goOffline() {
    clearTimeout(offlineTimer);
    hideTyping();
    setStatus("offline");
    renderMessages();
  }

  function connect() {
    if (socket) return;
    setStatus("connecting");
    armOfflineTimer();
    loadSocketIo().then(
      function (io) {
        if (socket) return;
        socket = io(config.origin, {
          path: config.path,
          transports: ["websocket", "polling"],
          tryAllTransports: true,
          timeout: 8000,
          reconnectionDelay: 1000,
          reconnectionDelayMax: 8000,
        });
        socket.on("connect", function () {
          errors = 0;
          socket.emit("session_request", { session_id: state.token });
        });
        socket.on("session_confirm", onSessionConfirm);
        socket.on("bot_uttered", onBotMessage);
        socket.on("connect_error", function () {
          errors += 1;
          // Websockets may be blocked on the way (proxies): from now on start with long
          // polling, which upgrades to a websocket only if one gets through.
          socket.io.opts.transports = ["polling", "websocket"];
          if (errors >= OFFLINE_AFTER_ERRORS) goOffline();
        });
        socket.on("disconnect", function (reason) {
          var wasOnline = online;
          online = false;
          inflight = {};
          hideTyping();
          if (reason === "io server disconnect") socket.connect();
          if (wasOnline) {
            setStatus("reconnecting");
            armOfflineTimer();
            renderMessages();
          }
        });
      },
      function () {
        goOffline();
      },
    );
  }

  function retryNow() {
    errors = 0;
    setStatus("connecting");
    armOfflineTimer();
    if (!socket) connect();
    else if (!socket.connected) {
      socket.disconnect();
      socket.connect();
    }
  }

  function onSessionConfirm(payload) {
    var token = payload && payload.session_id ? payload.session_id : payload;
    if (typeof token !== "string" || !token) return;
    var previous = sessionIdOf(state.token);
    var resumed = previous !== null && previous === sessionIdOf(token);
    state.token = token;
    switching = false;
    if (!resumed) {
      if (previous) {
        appendMessage(
          system("Your earlier conversation could not be continued, so a new one has started."),
        );
      }
      state.pending = state.pending.filter(function (p) {
        return !p.silent;
      });
      if (config.startPayload)
        state.pending.unshift({ id: uid(), payload: config.startPayload, silent: true });
    }
    save();
    online = true;
    errors = 0;
    clearTimeout(offlineTimer);
    setStatus("online");
    renderMessages();
    if (state.pending.length) showTyping();
    flush();
  }

  // One message at a time, in order: the server acknowledges a message once the bot has
  // answered it, so the start of a conversation always reaches Rasa before what follows.
  function flush() {
    if (!online || !socket || Object.keys(inflight).length || !state.pending.length) return;
    var item = state.pending[0];
    var sentOn = socket;
    inflight[item.id] = true;
    socket.emit(
      "user_uttered",
      { message: item.payload, session_id: state.token, message_id: item.id },
      function (ack) {
        if (sentOn !== socket || !inflight[item.id]) return; // a reconnect resent it already
        delete inflight[item.id];
        onAck(item, ack || {});
        flush();
      },
    );
  }

  function onAck(item, ack) {
    var status = ack.status;
    if (status === "error" && ack.error === "no_session") {
      online = false; // resent once the session is confirmed again
      if (socket) socket.emit("session_request", { session_id: state.token });
      return;
    }
    state.pending = state.pending.filter(function (p) {
      return p.id !== item.id;
    });
    var msg = null;
    for (var i = state.messages.length - 1; i >= 0; i--) {
      if (state.messages[i].id === item.id) {
        msg = state.messages[i];
        break;
      }
    }
    if (msg) {
      if (status === "ok" || status === "duplicate") delete msg.status;
      else {
        msg.status = "failed";
        msg.error =
          ack.error === "too_long"
            ? "Too long to send (" + MAX_LENGTH + " characters at most)"
            : ack.error === "server_error"
              ? "The assistant had a problem with this message. Please try again."
              : ack.error === "too_fast"
                ? "Sent too quickly: wait a few seconds, then send it again."
                : "Not sent";
      }
      refreshMessage(msg);
    }
    save();
    if (!state.pending.length) hideTyping();
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object" || switching) return;
    var text = typeof message.text === "string" ? message.text : "";
    var buttons = (message.quick_replies || message.buttons || [])
      .filter(function (b) {
        return b && typeof b.title === "string" && typeof b.payload === "string";
      })
      .map(function (b) {
        return { title: b.title, payload: b.payload };
      });
    var attachment = message.attachment;
    var image =
      attachment && attachment.type === "image" && attachment.payload
        ? String(attachment.payload.src || "")
        : "";
    if (!text && !image && !buttons.length) return; // custom payloads are not shown
    var msg = { id: uid(), from: "bot", text: text, ts: Date.now() };
    if (buttons.length) msg.buttons = buttons;
    if (image) msg.image = image;
    if (!isOpen()) state.unread = (state.unread || 0) + 1;
    appendMessage(msg);
    if (state.pending.length) showTyping();
    else hideTyping();
    renderBadge();
  }

  // ---------------------------------------------------------------- start
  function start() {
    document.body.appendChild(host);
    function reveal() {
      wrap.hidden = false;
    }
    stylesheet.addEventListener("load", reveal);
    stylesheet.addEventListener("error", reveal);
    setTimeout(reveal, 3000);
    setStatus("idle");
    renderMessages();
    renderBadge();
    renderTeaser();
    if (config.open || state.open) openPanel({ focus: false });
    else if (state.token || state.pending.length) connect();
  }

  window.BackChatWidget = {
    open: function () {
      openPanel();
    },
    close: function () {
      closePanel();
    },
    version: "1.0.0",
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
