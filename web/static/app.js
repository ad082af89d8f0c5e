// Digirapport browser UI: vanilla ES module, no build step.
// Talks only to the HTTP API in docs/architecture.md. Untrusted text (answers, passages, titles)
// is always inserted with textContent / DOM nodes, never innerHTML.

const KEY_STORAGE = "digirapport.apiKey";
const VIEWS = ["chatt", "index", "klassa", "utkast", "kvalitet", "dokument"];

const AXES = [
  {
    key: "innovation_effektivitet",
    legend: "Effektivisering eller innovation",
    short: "Innovation–effektivisering",
    low: "Endast effektivisering",
    high: "Endast innovation",
  },
  {
    key: "operativt_strategiskt",
    legend: "Operativt eller strategiskt",
    short: "Operativt–strategiskt",
    low: "Operativt: direkt förändring nu",
    high: "Strategiskt: långsiktiga förutsättningar",
  },
  {
    key: "extern_intern",
    legend: "Intern eller extern nytta",
    short: "Intern–extern nytta",
    low: "Intern nytta för organisationen",
    high: "Extern nytta för invånare och företag",
  },
];

const DIMIOS_DIMENSION = {
  Effektivitet: "Digital förmåga",
  Innovation: "Digital förmåga",
  Balansering: "Digital förmåga",
  Teknik: "Digitalt arv",
  Användare: "Digitalt arv",
  Organisation: "Digitalt arv",
};

const SECONDARY_FIGURES = [
  "digital_mognad",
  "dimios_svarsfrekvens",
  "medarbetare_medel",
  "medarbetare",
  "genomforandegrad",
  "nyttorealisering",
  "antal_initiativ",
  "antal_genomforda",
];

/** A change without the unit word, for narrow table cells whose header names the unit. */
function bareChange(fig) {
  if (!fig || !fig.change_display || !fig.previous_year) return null;
  return String(fig.change_display).replace(/\s*procentenheter$/, "");
}

const fmt1 = new Intl.NumberFormat("sv-SE", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const fmtInt = new Intl.NumberFormat("sv-SE", { maximumFractionDigits: 0 });
const fmtDate = new Intl.DateTimeFormat("sv-SE", { dateStyle: "medium", timeStyle: "short" });

const state = {
  view: "chatt",
  loaded: new Set(),
  health: null,
  years: [],
  latest: null,
  reports: new Map(),
  series: new Map(),
  conversationId: null,
  messageCount: 0, // messages of the open conversation (an answer's index for feedback)
  role: null,
  chatBusy: false,
  suggestion: null,
  objektNames: [], // the configured objekt list, from /healthz
};

// ---------------------------------------------------------------- small DOM helpers

/** Create an element; children may be strings (as text) or nodes. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const $ = (sel, root = document) => root.querySelector(sel);

function setMessage(node, text, kind = "info") {
  node.textContent = text || "";
  node.classList.toggle("is-error", kind === "error");
  node.classList.toggle("is-ok", kind === "ok");
}

function pct(x) {
  return `${fmt1.format(x)} %`;
}

function confidencePct(c) {
  if (typeof c !== "number" || Number.isNaN(c)) return null;
  return c <= 1 ? c * 100 : c;
}

// ---------------------------------------------------------------- API access and auth

class ApiError extends Error {
  constructor(message, status, data) {
    super(message);
    this.status = status;
    this.data = data;
  }
}

function apiKey() {
  try {
    return sessionStorage.getItem(KEY_STORAGE) || "";
  } catch {
    return "";
  }
}

/** The CSRF token of a single sign-on session (its cookie is readable by this page only). */
function csrfToken() {
  const match = document.cookie.split("; ").find((c) => c.startsWith("digi_csrf="));
  return match ? decodeURIComponent(match.slice("digi_csrf=".length)) : "";
}

function withAuth(headers = {}) {
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  const csrf = csrfToken();
  if (csrf) headers["X-CSRF-Token"] = csrf;
  return headers;
}

const STATUS_TEXT = {
  400: "Förfrågan kunde inte hanteras.",
  401: "Du behöver logga in.",
  403: "Du har inte behörighet till detta.",
  404: "Det efterfrågade finns inte.",
  413: "Filen är för stor.",
  415: "Filformatet stöds inte.",
  422: "Uppgifterna kunde inte godtas. Kontrollera fälten.",
  502: "Språkmodellen svarade inte som väntat. Försök igen.",
  503: "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
};

function messageFor(status, body) {
  const fromBody = body && body.error && typeof body.error.message === "string" ? body.error.message : null;
  if (fromBody) return fromBody;
  if (body && typeof body.detail === "string") return body.detail;
  return STATUS_TEXT[status] || (status >= 500 ? "Ett fel inträffade på servern. Försök igen." : "Något gick fel.");
}

function handleAuthStatus(status) {
  if (status === 401) {
    if (apiKey()) showAuth("Nyckeln godtogs inte. Ange en giltig API-nyckel.");
    else if (state.sso) showAuth("Logga in med organisationens konto. Program och tjänstekonton kan i stället använda en API-nyckel (den sparas bara i den här webbläsarflikens session).");
    else showAuth("Tjänsten kräver en API-nyckel. Nyckeln sparas bara i den här webbläsarflikens session.");
  }
}

async function errorFrom(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  handleAuthStatus(response.status);
  return new ApiError(messageFor(response.status, body), response.status, body);
}

const NETWORK_ERROR = "Kunde inte nå servern. Kontrollera anslutningen och försök igen.";

/**
 * Whether a URL (as written in Markdown or by a model) resolves to this page's own origin.
 * Resolved with the URL parser, so "//host/x", "/\\host/x" and "https://host" are foreign.
 */
function sameOrigin(url) {
  try {
    return new URL(url, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

async function rawFetch(path, { method = "GET", body, accept = "application/json", signal } = {}) {
  // The API key never leaves this origin.
  if (!sameOrigin(path)) throw new ApiError("Adressen pekar på en annan server och hämtas inte.", 0, null);
  const headers = withAuth({ Accept: accept });
  const init = { method, headers, signal };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(NETWORK_ERROR, 0, null);
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function api(path, options = {}) {
  const response = await rawFetch(path, options);
  return response.json();
}

function showAuth(reason) {
  const panel = $("#auth-panel");
  $("#auth-reason").textContent = reason;
  $("#auth-sso-wrap").hidden = !state.sso;
  $("#auth-sso").href = `/auth/login?next=${encodeURIComponent(location.pathname + location.hash)}`;
  const wasHidden = panel.hidden;
  panel.hidden = false;
  if (wasHidden) (state.sso ? $("#auth-sso") : $("#auth-key")).focus();
}

/** Who is logged in (single sign-on or key): the name and a logout button for SSO users. */
async function loadAuthConfig() {
  try {
    const config = await (await fetch("/auth/config", { headers: { Accept: "application/json" } })).json();
    state.sso = Boolean(config.sso);
  } catch {
    state.sso = false;
  }
}

async function loadUser() {
  let me;
  try {
    me = await api("/api/me");
  } catch {
    return;
  }
  applyRole(me.role);
  const days = me.conversation_retention_days;
  $("#retention-note").textContent = days ? `Samtal som inte används på ${days} dagar raderas automatiskt.` : "";
  const bar = $("#user-bar");
  if (me.via === "local") {
    bar.hidden = true;
    return;
  }
  $("#user-name").textContent = `${me.name} (${ROLE_SV[me.role] || me.role})`;
  $("#logout").hidden = me.via !== "sso";
  bar.hidden = false;
}

const ROLE_SV = { reader: "läsare", editor: "redaktör", admin: "administratör" };

async function logout() {
  try {
    const result = await api("/auth/logout", { method: "POST" });
    if (result.logout_url) {
      location.assign(result.logout_url);
      return;
    }
  } catch {
    /* the session may already be gone */
  }
  location.assign("/");
}

async function exportMyData() {
  const message = $("#my-data-message");
  try {
    const response = await rawFetch("/api/me/export");
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: "mina-data-digirapport.json" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setMessage(message, "Dina data är nedladdade.", "ok");
  } catch (error) {
    setMessage(message, `Exporten misslyckades: ${error.message}`, "error");
  }
}

async function deleteMyData() {
  const message = $("#my-data-message");
  if (!window.confirm("Radera alla dina sparade samtal? Det går inte att ångra.")) return;
  try {
    const result = await api("/api/me/data", { method: "DELETE" });
    setMessage(message, `${result.deleted_conversations} samtal raderades.`, "ok");
    state.conversationId = null;
    newConversation();
  } catch (error) {
    setMessage(message, `Radering misslyckades: ${error.message}`, "error");
  }
}

async function deleteConversation(c) {
  if (!window.confirm(`Radera samtalet ”${c.title || "Namnlöst samtal"}”?`)) return;
  try {
    await api(`/api/conversations/${encodeURIComponent(c.id)}`, { method: "DELETE" });
    if (state.conversationId === c.id) newConversation();
    else refreshConversations();
    $("#chat-status").textContent = "Samtalet är raderat.";
  } catch (error) {
    $("#chat-status").textContent = `Samtalet kunde inte raderas: ${error.message}`;
  }
}

function initAuth() {
  $("#auth-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("#auth-key").value.trim();
    if (!key) return;
    try {
      sessionStorage.setItem(KEY_STORAGE, key);
    } catch {
      /* private mode: the key lives only in this page */
    }
    $("#auth-key").value = "";
    $("#auth-panel").hidden = true;
    state.loaded.clear();
    loadHealth();
    activate(state.view, { focus: false });
  });
  $("#auth-clear").addEventListener("click", () => {
    try {
      sessionStorage.removeItem(KEY_STORAGE);
    } catch {
      /* nothing stored */
    }
    $("#auth-key").value = "";
  });
}

/**
 * Load an image; with an API key the request needs the header, so it goes through fetch.
 * A failed load is retried twice (a burst of chart requests may meet the rate limit).
 */
function loadImage(img, url, onFail) {
  let tries = 0;
  const retry = () => {
    tries += 1;
    if (tries > 2) onFail();
    else setTimeout(attempt, 1500 * tries);
  };
  const attempt = async () => {
    if (!sameOrigin(url)) {
      onFail();
      return;
    }
    if (!apiKey()) {
      img.addEventListener("error", retry, { once: true });
      img.src = tries ? `${url}${url.includes("?") ? "&" : "?"}forsok=${tries}` : url;
      return;
    }
    try {
      const response = await rawFetch(url, { accept: "image/*" });
      img.src = URL.createObjectURL(await response.blob());
    } catch (error) {
      if (error.status === 429 || error.status === 0 || error.status >= 500) retry();
      else onFail();
    }
  };
  attempt();
}

// ---------------------------------------------------------------- health / mode banner

async function loadHealth() {
  const banner = $("#mode-banner");
  const text = $("#mode-text");
  try {
    const health = await api("/healthz");
    state.health = health;
    if (Array.isArray(health.objekt)) state.objektNames = health.objekt;
    banner.dataset.mode = health.mode === "llm" ? "llm" : "offline";
    if (health.mode === "llm") {
      text.replaceChildren(el("strong", {}, "Språkmodell ansluten"), `${health.model ? ` (${health.model})` : ""}. Siffrorna i svaren hämtas ändå från indexmotorn och kontrolleras mot källorna.`);
    } else {
      text.replaceChildren(el("strong", {}, "Offlineläge:"), " ingen språkmodell är ansluten. Svaren byggs av indexmotorn och citerade avsnitt ur rapporten.");
    }
  } catch (error) {
    banner.dataset.mode = "error";
    text.textContent = `Kunde inte kontrollera tjänstens läge: ${error.message}`;
  }
}

// ---------------------------------------------------------------- tabs

function tabs() {
  return [...document.querySelectorAll('#tablist [role="tab"]')].filter((tab) => !tab.hidden);
}

function activate(view, { focus = false, push = true } = {}) {
  if (!VIEWS.includes(view)) view = "chatt";
  state.view = view;
  for (const tab of tabs()) {
    const selected = tab.dataset.view === view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    const panel = document.getElementById(tab.getAttribute("aria-controls"));
    panel.hidden = !selected;
  }
  if (focus) document.getElementById(`tab-${view}`).focus();
  if (push && location.hash !== `#${view}`) history.replaceState(null, "", `#${view}`);
  if (!state.loaded.has(view)) {
    state.loaded.add(view);
    LOADERS[view]().catch((error) => console.error(error));
  }
}

function initTabs() {
  const list = $("#tablist");
  list.addEventListener("click", (event) => {
    const tab = event.target.closest('[role="tab"]');
    if (tab) activate(tab.dataset.view);
  });
  list.addEventListener("keydown", (event) => {
    const all = tabs();
    const index = all.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight") next = (index + 1) % all.length;
    else if (event.key === "ArrowLeft") next = (index - 1 + all.length) % all.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    if (next === null) return;
    event.preventDefault();
    activate(all[next].dataset.view, { focus: true });
  });
  window.addEventListener("hashchange", () => activate(location.hash.slice(1), { push: false }));
}

// ---------------------------------------------------------------- Markdown (safe subset)

const NUMBER_RE = /\d+(?:[ \u00a0]\d{3})*(?:[,.]\d+)?(?:\s?%)?/;

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Numbers the grounding check could not trace, taken from the warnings (strings or objects). */
function warningNumbers(warnings) {
  const found = new Set();
  for (const warning of warnings || []) {
    if (warning && typeof warning === "object") {
      for (const key of ["number", "value", "text", "token", "figure"]) {
        const v = warning[key];
        if (typeof v === "string" || typeof v === "number") {
          found.add(String(v).trim());
          break;
        }
      }
    } else if (typeof warning === "string") {
      // The grounding check's wording: "Talet 9,7 i svaret …" / "Talen 9,7, 12 i svaret …".
      const listed = warning.match(/Tal(?:et|en)\s+(.+?)\s+i svaret/);
      if (listed) {
        for (const part of listed[1].split(/,\s+/)) if (part.trim()) found.add(part.trim());
        continue;
      }
      const quoted = warning.match(/[”"'“‘’«]([^”"'“‘’»]*\d[^”"'“‘’»]*)[”"'“’»]/);
      const bare = warning.match(NUMBER_RE);
      if (quoted) found.add(quoted[1].trim());
      else if (bare) found.add(bare[0].trim());
    }
  }
  return [...found].filter((n) => /\d/.test(n));
}

function warningText(warning) {
  if (typeof warning === "string") return warning;
  if (warning && typeof warning === "object") {
    return warning.message || (warning.number ? `Siffran ${warning.number} kunde inte spåras till ett källresultat.` : JSON.stringify(warning));
  }
  return String(warning);
}

function appendMarked(parent, text, marks) {
  if (!marks.length) {
    parent.append(text);
    return;
  }
  const variants = new Set();
  for (const m of marks) {
    variants.add(m);
    variants.add(m.replace(/\s?%$/, ""));
  }
  const pattern = [...variants]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((m) => escapeRegExp(m).replace(/ /g, "[ \\u00a0]"))
    .join("|");
  const re = new RegExp(`(?<![\\d,.])(${pattern})(?![\\d]|[,.]\\d)`, "g");
  let last = 0;
  for (const match of text.matchAll(re)) {
    if (match.index > last) parent.append(text.slice(last, match.index));
    parent.append(
      el(
        "mark",
        { class: "untraced", title: "Siffran kunde inte spåras till indexmotorn eller ett citerat avsnitt" },
        match[0],
        el("span", { class: "visually-hidden" }, " (ej spårad siffra)"),
      ),
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parent.append(text.slice(last));
}

/**
 * Where a Markdown link may point: http(s), mailto, or a path on this server; anything else
 * (javascript:, data:, vbscript: …) is shown as text, never as a link.
 */
function safeHref(url) {
  try {
    const u = new URL(url, window.location.href);
    if (u.protocol === "http:" || u.protocol === "https:" || u.protocol === "mailto:") return u.href;
  } catch {
    return null;
  }
  return null;
}

/** A Markdown link as an anchor (other sites open in a new tab, without referrer). */
function markdownLink(label, url, marks) {
  const href = safeHref(url);
  if (!href) return null;
  const external = !sameOrigin(href);
  const a = el("a", { href, rel: external ? "noopener noreferrer nofollow" : null, target: external ? "_blank" : null });
  appendMarked(a, label, marks);
  if (external) a.append(el("span", { class: "visually-hidden" }, " (öppnas i ny flik)"));
  return a;
}

function appendInline(parent, text, marks = []) {
  const parts = text.split(/(\*\*[^*]+\*\*|__[^_]+__|\*[^*\s][^*]*\*|\[\^[\w-]+\]|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g);
  for (const part of parts) {
    if (!part) continue;
    const bold = part.match(/^(\*\*|__)(.+)\1$/);
    const italic = part.match(/^\*([^*].*)\*$/);
    const note = part.match(/^\[\^([\w-]+)\]$/);
    const code = part.match(/^`([^`]+)`$/);
    const link = part.match(/^\[([^\]]+)\]\(([^)\s]+)\)$/);
    if (code) {
      parent.append(el("code", {}, code[1]));
    } else if (link) {
      parent.append(markdownLink(link[1], link[2], marks) || link[1]);
    } else if (bold) {
      const strong = el("strong");
      appendMarked(strong, bold[2], marks);
      parent.append(strong);
    } else if (italic) {
      const em = el("em");
      appendMarked(em, italic[1], marks);
      parent.append(em);
    } else if (note) {
      parent.append(el("sup", { class: "fn-ref" }, el("span", { class: "visually-hidden" }, "not "), note[1]));
    } else {
      appendMarked(parent, part, marks);
    }
  }
}

const TABLE_RULE = /^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$/;

/** The cells of one Markdown table row ("| a | b |" -> ["a", "b"]; "\\|" stays in a cell). */
function tableCells(line) {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, "|"));
}

/**
 * A GitHub-style table starting at lines[start] (a header row, a rule row of dashes, body rows),
 * as a <table> whose cells are text; null when the lines are not a table.
 */
function markdownTable(lines, start, marks) {
  const head = lines[start].trim();
  const rule = (lines[start + 1] || "").trim();
  if (!head.includes("|") || !TABLE_RULE.test(rule) || !rule.includes("-")) return null;
  const columns = tableCells(head);
  const align = tableCells(rule).map((c) => (c.endsWith(":") ? "num" : null));
  if (columns.length < 2 && !head.startsWith("|")) return null;
  let end = start + 2;
  const rows = [];
  while (end < lines.length && lines[end].trim().includes("|") && lines[end].trim()) {
    rows.push(tableCells(lines[end]));
    end += 1;
  }
  const cell = (tag, text, i, attrs = {}) => {
    const node = el(tag, { ...attrs, class: align[i] || null });
    appendInline(node, text, marks);
    return node;
  };
  const table = el(
    "table",
    { class: "md-table" },
    el("thead", {}, el("tr", {}, columns.map((c, i) => cell("th", c, i, { scope: "col" })))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map((_, i) => cell("td", r[i] ?? "", i))))),
  );
  return { node: el("div", { class: "table-wrap" }, table), end };
}

/** Render a safe Markdown subset: headings, paragraphs, lists, tables, links, bold, images. */
function renderMarkdown(markdown, { marks = [], headingBase = 3, images = true } = {}) {
  const frag = document.createDocumentFragment();
  const lines = String(markdown || "").replace(/\r\n?/g, "\n").split("\n");
  let para = [];
  let list = null;
  const notes = [];
  const flushPara = () => {
    if (para.length) {
      const p = el("p");
      appendInline(p, para.join(" "), marks);
      frag.append(p);
      para = [];
    }
  };
  const flushList = () => {
    if (list) frag.append(list);
    list = null;
  };
  for (let i = 0; i < lines.length; i += 1) {
    const t = lines[i].trim();
    if (!t) {
      flushPara();
      flushList();
      continue;
    }
    const table = markdownTable(lines, i, marks);
    if (table) {
      flushPara();
      flushList();
      frag.append(table.node);
      i = table.end - 1;
      continue;
    }
    let m = t.match(/^(#{1,6})\s+(.*)$/);
    if (m) {
      flushPara();
      flushList();
      const level = Math.min(6, headingBase + m[1].length - 1);
      const h = el(`h${level}`);
      appendInline(h, m[2], marks);
      frag.append(h);
      continue;
    }
    m = t.match(/^\[\^([\w-]+)\]:\s*(.*)$/);
    if (m) {
      flushPara();
      flushList();
      notes.push(m);
      continue;
    }
    m = t.match(/^!\[([^\]]*)\]\(([^)\s]+)\)$/);
    if (m && images) {
      flushPara();
      flushList();
      if (sameOrigin(m[2])) {
        const img = el("img", { alt: m[1] || "Diagram", loading: "lazy" });
        const fig = el("figure", {}, img); // the Markdown's own caption line follows
        loadImage(img, m[2], () => img.replaceWith(el("p", { class: "chart-missing" }, "Diagrammet kunde inte visas.")));
        frag.append(fig);
      } else {
        // an image on another server: a plain link (http/https only), never fetched or sent the key
        let href = null;
        try {
          const u = new URL(m[2], window.location.href);
          if (u.protocol === "https:" || u.protocol === "http:") href = u.href;
        } catch {
          href = null;
        }
        const label = m[1] || m[2];
        const shown = href ? el("a", { href, rel: "noopener noreferrer nofollow", class: "external-image" }, label) : label;
        frag.append(el("p", {}, "Extern bild (hämtas inte): ", shown));
      }
      continue;
    }
    const bullet = t.match(/^[-*•]\s+(.*)$/);
    const numbered = t.match(/^\d+[.)]\s+(.*)$/);
    if (bullet || numbered) {
      flushPara();
      const tag = bullet ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) {
        flushList();
        list = el(tag);
      }
      const li = el("li");
      appendInline(li, (bullet || numbered)[1], marks);
      list.append(li);
      continue;
    }
    flushList();
    para.push(t);
  }
  flushPara();
  flushList();
  if (notes.length) {
    const ol = el("ol", { class: "footnotes", "aria-label": "Fotnoter" });
    for (const [, id, text] of notes) {
      const li = el("li", { value: /^\d+$/.test(id) ? id : null });
      appendInline(li, text, marks);
      ol.append(li);
    }
    frag.append(ol);
  }
  return frag;
}

// ---------------------------------------------------------------- chat

function sourceSummaryParts(src) {
  const head = [];
  if (src.section) {
    const section = String(src.section);
    head.push(/^avsnitt/i.test(section) ? section : `Avsnitt ${section}`);
  }
  const title = src.section_title || src.title;
  if (title && !head.join(" ").includes(title)) head.push(title);
  const where = [];
  if (src.page !== null && src.page !== undefined && src.page !== "") where.push(`s. ${src.page}`);
  if (src.source) where.push(String(src.source));
  if (src.year && !String(src.source || "").includes(String(src.year))) where.push(String(src.year));
  return { doc: head.length ? head.join(" ") : src.source || "Källa", where: where.join(" · ") };
}

function renderSources(sources) {
  if (!sources || !sources.length) return null;
  const list = el("ul", { class: "sources" });
  for (const src of sources) {
    const { doc, where } = sourceSummaryParts(src);
    const summary = el("summary", {}, el("span", { class: "src-doc" }, doc), where ? el("span", { class: "src-where" }, ` – ${where}`) : null);
    const details = el("details", {}, summary, el("blockquote", {}, src.text || "(Inget citat tillgängligt.)"));
    list.append(el("li", {}, details));
  }
  return el("div", { class: "sources-block" }, el("h4", { class: "block-title" }, `Källor (${sources.length})`), list);
}

function collectFigures(value, out, depth = 0) {
  if (out.length >= 8 || depth > 5 || value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) collectFigures(item, out, depth + 1);
    return;
  }
  if (typeof value.display === "string" && (value.label || value.key)) {
    out.push(value);
    return;
  }
  for (const item of Object.values(value)) collectFigures(item, out, depth + 1);
}

function toolCard(fig) {
  const how = [];
  if (fig.formula) how.push(fig.formula);
  if (fig.n !== undefined && fig.n !== null) how.push(`n = ${fig.n}`);
  const change = fig.change_display && fig.previous_year ? `${fig.change_display} jämfört med ${fig.previous_year}` : null;
  return el(
    "div",
    { class: "tool-card" },
    el("p", { class: "tc-label" }, `${fig.label || fig.key}${fig.year ? ` ${fig.year}` : ""}`),
    el("p", { class: "tc-value" }, fig.display),
    change ? el("p", { class: "tc-how" }, change) : null,
    how.length ? el("p", { class: "tc-how" }, `Beräkning: ${how.join(" · ")}`) : null,
  );
}

const TOOL_NAMES = {
  get_index: "Digitaliseringsindex",
  compare_years: "Jämförelse mellan år",
  dimios_breakdown: "Digital mognad (DiMiOS)",
  employee_survey: "Medarbetarenkäten",
  portfolio: "Portföljen",
  list_initiatives: "Initiativ i registret",
  benefit_register: "Nyttoregistret",
  classify_initiative: "Klassning av initiativ",
  draft_chapter: "Utkast till kapitel",
};

/** Tools whose results are passages: they are shown as sources, not as cards. */
const SEARCH_TOOLS = new Set(["search_documents", "search"]);

function renderToolCalls(toolCalls) {
  if (!toolCalls || !toolCalls.length) return null;
  const figures = [];
  for (const call of toolCalls) collectFigures(call.result, figures);
  const cards = el("div", { class: "tool-cards" });
  if (figures.length) {
    for (const fig of figures) cards.append(toolCard(fig));
  } else {
    for (const call of toolCalls) {
      if (SEARCH_TOOLS.has(call.name)) continue;
      const args =
        call.arguments && typeof call.arguments === "object"
          ? Object.entries(call.arguments)
              .filter(([, v]) => v !== null && typeof v !== "object")
              .map(([k, v]) => `${k}: ${v}`)
              .join(", ")
          : "";
      cards.append(el("div", { class: "tool-card" }, el("p", { class: "tc-label" }, "Underlag"), el("p", { class: "tc-value tc-name" }, TOOL_NAMES[call.name] || call.name), args ? el("p", { class: "tc-how" }, args) : null));
    }
  }
  if (!cards.childElementCount) return null;
  const heading = figures.length ? "Beräknat av indexmotorn" : "Underlag som användes";
  return el("div", { class: "tools-block" }, el("h4", { class: "block-title" }, heading), cards);
}

function renderWarnings(warnings, marks = null) {
  if (!warnings || !warnings.length) return null;
  const list = el("ul");
  for (const w of warnings) list.append(el("li", {}, warningText(w)));
  const marked = (marks || warningNumbers(warnings)).length > 0;
  return el(
    "div",
    { class: "warnings" },
    el("strong", {}, "Att kontrollera"),
    marked ? " – markerade siffror kunde inte spåras till indexmotorn eller ett citerat avsnitt:" : ":",
    list,
  );
}

function modeLabel(mode) {
  return mode === "llm" ? "Svar från språkmodell, med siffror från indexmotorn" : "Svar i offlineläge (indexmotor och rapportsök)";
}

function userMessage(text) {
  return el("div", { class: "msg msg-user" }, el("span", { class: "msg-label" }, "Du"), text);
}

/** An assistant message whose parts can be filled in as the stream arrives. */
function assistantMessage() {
  const answer = el("div", { class: "answer", "aria-busy": "true" });
  const tools = el("div");
  const sources = el("div");
  const warnings = el("div");
  const chart = el("div");
  const next = el("div");
  const mode = el("p", { class: "msg-mode" });
  const node = el("article", { class: "msg msg-assistant", "aria-label": "Svar från assistenten" }, el("span", { class: "msg-label" }, "Assistenten"), answer, warnings, chart, tools, sources, mode, next);
  let raw = "";
  let frame = 0;
  const paint = (marks = []) => {
    answer.replaceChildren(renderMarkdown(raw, { marks, headingBase: 4, images: false }));
  };
  return {
    node,
    setTyping() {
      answer.replaceChildren(el("p", { class: "typing" }, "Söker i underlaget …"));
    },
    append(text) {
      raw += text;
      if (!frame) {
        frame = requestAnimationFrame(() => {
          frame = 0;
          paint();
        });
      }
    },
    finish(result) {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      if (result) {
        if (typeof result.answer === "string" && result.answer) raw = result.answer;
        const listed = (result.sources || []).length + (result.tool_calls || []).length > 0;
        // The answer's closing "Källor:" line repeats what the lists below show.
        if (listed) raw = raw.replace(/\n\n(Källor|Sources): [^\n]*\s*$/, "");
        const ws = result.warnings || [];
        const ungrounded = Array.isArray(result.ungrounded_numbers) ? result.ungrounded_numbers.map(String) : [];
        const marks = ungrounded.length ? ungrounded : warningNumbers(ws);
        paint(marks);
        warnings.replaceChildren(renderWarnings(ws, marks) || "");
        tools.replaceChildren(renderToolCalls(result.tool_calls) || "");
        sources.replaceChildren(renderSources(result.sources) || "");
        mode.textContent = result.mode ? modeLabel(result.mode) : "";
        chart.replaceChildren(...(result.charts || []).slice(0, 1).map(renderChatChart));
        next.replaceChildren(renderFollowups(result.followups) || "");
        if (result.stopped) answer.append(stoppedNote());
      } else {
        paint();
      }
      answer.setAttribute("aria-busy", "false");
    },
    stop() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      paint();
      answer.append(stoppedNote());
      answer.setAttribute("aria-busy", "false");
    },
    setSources(list) {
      sources.replaceChildren(renderSources(list) || "");
    },
    setTools(list) {
      tools.replaceChildren(renderToolCalls(list) || "");
    },
    fail(message) {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
      answer.setAttribute("aria-busy", "false");
      answer.replaceChildren(el("p", { class: "message is-error" }, message));
    },
  };
}

function parseSseBlock(block) {
  let event = "message";
  const data = [];
  for (const line of block.split(/\r?\n/)) {
    if (!line || line.startsWith(":")) continue;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? "" : line.slice(i + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return null;
  const text = data.join("\n");
  try {
    return { event, data: JSON.parse(text) };
  } catch {
    return { event, data: { text } };
  }
}

async function* sseEvents(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let match;
    while ((match = buffer.match(/\r?\n\r?\n/))) {
      const block = buffer.slice(0, match.index);
      buffer = buffer.slice(match.index + match[0].length);
      const parsed = parseSseBlock(block);
      if (parsed) yield parsed;
    }
  }
  buffer += decoder.decode();
  if (buffer.trim()) {
    const parsed = parseSseBlock(buffer);
    if (parsed) yield parsed;
  }
}

function scrollToBottom() {
  const form = $("#chat-form");
  form.scrollIntoView({ block: "end", behavior: "smooth" });
}

async function sendQuestion(question) {
  if (state.chatBusy) return;
  const text = question.trim();
  if (!text) return;
  state.chatBusy = true;
  const send = $("#chat-send");
  send.disabled = true;
  const controller = startStoppable();
  clearFollowups();
  $("#chat-intro")?.remove();
  const log = $("#chat-log");
  log.append(userMessage(text));
  const msg = assistantMessage();
  msg.setTyping();
  log.append(msg.node);
  scrollToBottom();
  const status = $("#chat-status");
  status.textContent = "Assistenten svarar …";
  const body = { message: text };
  if (state.conversationId) body.conversation_id = state.conversationId;
  try {
    let response;
    try {
      response = await rawFetch("/api/chat/stream", { method: "POST", body, accept: "text/event-stream", signal: controller.signal });
    } catch (error) {
      if (error.status === 404 || error.status === 405) response = null;
      else throw error;
    }
    let final = null;
    if (response && response.body) {
      let started = false;
      for await (const { event, data } of sseEvents(response)) {
        if (event === "meta") {
          if (data.conversation_id) state.conversationId = data.conversation_id;
        } else if (event === "token") {
          if (!started) {
            started = true;
            msg.append("");
          }
          msg.append(data.text || "");
        } else if (event === "sources") {
          msg.setSources(data.sources);
        } else if (event === "tool_calls") {
          msg.setTools(data.tool_calls);
        } else if (event === "done") {
          final = data;
        } else if (event === "error") {
          throw new ApiError(data.message || "Svaret kunde inte skapas.", 500, data);
        }
      }
    } else {
      final = await api("/api/chat", { method: "POST", body });
    }
    if (final && final.conversation_id) state.conversationId = final.conversation_id;
    msg.finish(final);
    state.messageCount += 2;
    attachAnswerTools(msg.node, { conversationId: final && final.conversation_id, index: state.messageCount - 1, question: text, result: final });
    status.textContent = "Svaret är klart.";
    refreshConversations();
  } catch (error) {
    if (controller.signal.aborted) {
      msg.stop();
      status.textContent = "Svaret stoppades.";
      refreshConversations();
    } else {
      msg.fail(error.message || "Svaret kunde inte skapas.");
      status.textContent = "Svaret kunde inte skapas.";
    }
  } finally {
    state.chatBusy = false;
    send.disabled = false;
    endStoppable();
    scrollToBottom();
  }
}

// ---------------------------------------------------------------- chat: stop, charts, follow-ups

/** Show the stop button for the answer being written; returns the controller it aborts. */
function startStoppable() {
  const controller = new AbortController();
  state.chatAbort = controller;
  $("#chat-stop").hidden = false;
  return controller;
}

function endStoppable() {
  state.chatAbort = null;
  const stop = $("#chat-stop");
  const hadFocus = document.activeElement === stop;
  stop.hidden = true;
  if (hadFocus) $("#chat-input").focus();
}

/** Stop the answer being written: the request is aborted and the server stops generating. */
function stopAnswer() {
  if (state.chatAbort) state.chatAbort.abort();
}

function stoppedNote() {
  return el("p", { class: "stopped-note" }, "Svaret stoppades innan det var klart.");
}

/** Suggested next questions as buttons; a click asks the question. */
function renderFollowups(questions) {
  if (!Array.isArray(questions) || !questions.length) return null;
  const buttons = questions.map((q) => el("li", {}, el("button", { type: "button", class: "chip", onclick: () => sendQuestion(String(q)) }, String(q))));
  return el("div", { class: "followups" }, el("h4", { class: "block-title" }, "Fråga vidare"), el("ul", { class: "suggestions", "aria-label": "Förslag på följdfrågor" }, buttons));
}

/** Only the latest answer keeps its suggestions. */
function clearFollowups(keepLast = false) {
  const all = [...document.querySelectorAll("#chat-log .followups")];
  for (const node of keepLast ? all.slice(0, -1) : all) node.remove();
}

/** "Show as table" that builds its table on first open. */
function lazyTable(build) {
  const host = el("div", { class: "table-wrap" }, el("p", { class: "muted small" }, "Hämtar tabell …"));
  const details = el("details", {}, el("summary", {}, "Visa uppgifterna som tabell"), host);
  let built = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || built) return;
    built = true;
    try {
      host.replaceChildren(await build());
    } catch (error) {
      built = false;
      host.replaceChildren(el("p", { class: "message is-error" }, `Tabellen kunde inte hämtas: ${error.message}`));
    }
  });
  return details;
}

/** The table alternative of a chart: the dashboard's tables, the waterfall's parts, the survey. */
async function chartTable(name, year) {
  await ensureYears();
  const dashboard = CHARTS.find((c) => c.name === name);
  if (dashboard) return dashboard.table(await getReport(year));
  if (name === "medarbetare") return employeeTable(year);
  const waterfall = name.match(/^forandring_(\w+)$/);
  if (waterfall) return explainTable(await api(`/api/index/${year}/explain?figure=${encodeURIComponent(waterfall[1])}`));
  throw new Error("Diagrammet har ingen tabell.");
}

async function employeeTable(year) {
  const years = state.years.filter((y) => y <= year).slice(-3);
  const reports = await Promise.all(years.map((y) => getReport(y).catch(() => null)));
  const rows = reports
    .filter((r) => r && r.employee && r.employee.positive)
    .map((r) => ({ year: String(r.year), positive: r.employee.positive.display, neutral: r.employee.neutral?.display, negative: r.employee.negative?.display }));
  return dataTable({
    caption: "Medarbetarenkäten: andel svar per år",
    sortable: false,
    columns: [
      { key: "year", label: "År" },
      { key: "positive", label: "Positiva (4–5)", num: true },
      { key: "neutral", label: "Neutrala (3)", num: true },
      { key: "negative", label: "Negativa (1–2)", num: true },
    ],
    rows,
  });
}

/** The chart that shows a chat answer (the dashboard's server-drawn SVG) with its table. */
function renderChatChart(chart) {
  if (!chart || !chart.url || !chart.name) return "";
  const img = el("img", { alt: `${chart.caption || chart.title} Samma uppgifter finns i tabellen nedan.`, width: 640, height: 384, decoding: "async" });
  const figure = el("figure", { class: "chart chat-chart", "data-chart": chart.name }, el("figcaption", {}, chart.title || "Diagram"), img, lazyTable(() => chartTable(chart.name, chart.year)));
  loadImage(img, chart.url, () => img.replaceWith(el("p", { class: "chart-missing" }, "Diagrammet kunde inte visas. Uppgifterna finns i tabellen nedan.")));
  return figure;
}

async function refreshConversations() {
  const list = $("#conv-list");
  const empty = $("#conv-empty");
  let data;
  try {
    data = await api("/api/conversations");
  } catch (error) {
    empty.hidden = false;
    empty.textContent = error.status === 401 ? "Ange API-nyckel för att se samtal." : `Samtalen kunde inte hämtas: ${error.message}`;
    return;
  }
  const conversations = data.conversations || [];
  empty.hidden = conversations.length > 0;
  empty.textContent = "Inga sparade samtal ännu.";
  list.replaceChildren(
    ...conversations.map((c) => {
      let when = "";
      if (c.updated_at) {
        const d = new Date(c.updated_at);
        when = Number.isNaN(d.getTime()) ? String(c.updated_at) : fmtDate.format(d);
      }
      const meta = [when, typeof c.messages === "number" ? `${c.messages} meddelanden` : null].filter(Boolean).join(" · ");
      const button = el(
        "button",
        { type: "button", "aria-current": c.id === state.conversationId ? "true" : null, onclick: () => openConversation(c.id) },
        el("span", { class: "conv-title" }, c.title || "Namnlöst samtal"),
        meta ? el("span", { class: "conv-meta" }, meta) : null,
      );
      const remove = el(
        "button",
        { type: "button", class: "conv-delete", "aria-label": `Radera samtalet ${c.title || "Namnlöst samtal"}`, title: "Radera samtalet", onclick: () => deleteConversation(c) },
        "×",
      );
      return el("li", { class: "conv-item" }, button, remove);
    }),
  );
}

async function openConversation(id) {
  const log = $("#chat-log");
  const status = $("#chat-status");
  try {
    const conv = await api(`/api/conversations/${encodeURIComponent(id)}`);
    state.conversationId = conv.id || id;
    log.replaceChildren();
    const messages = conv.messages || [];
    state.messageCount = messages.length;
    messages.forEach((m, index) => {
      if (m.role === "user") {
        log.append(userMessage(m.content || ""));
      } else if (m.role === "assistant") {
        const msg = assistantMessage();
        log.append(msg.node);
        const result = { answer: m.content || "", ...(m.data || {}) };
        msg.finish(result);
        const question = index > 0 && messages[index - 1].role === "user" ? messages[index - 1].content : "";
        attachAnswerTools(msg.node, { conversationId: state.conversationId, index, question, result });
      }
    });
    clearFollowups(true);
    status.textContent = `Samtalet ”${conv.title || "Namnlöst samtal"}” är öppnat.`;
    refreshConversations();
    $("#chat-input").focus();
  } catch (error) {
    status.textContent = error.message;
    log.append(el("p", { class: "message is-error" }, `Samtalet kunde inte öppnas: ${error.message}`));
  }
}

function newConversation() {
  state.conversationId = null;
  state.messageCount = 0;
  const log = $("#chat-log");
  log.replaceChildren(el("div", { class: "chat-intro" }, el("h3", {}, "Nytt samtal"), el("p", {}, "Ställ en fråga om rapporten, indexet eller portföljen.")));
  refreshConversations();
  $("#chat-status").textContent = "Ett nytt samtal är påbörjat.";
  $("#chat-input").focus();
}

function initChat() {
  const form = $("#chat-form");
  const input = $("#chat-input");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text.trim() || state.chatBusy) return;
    input.value = "";
    sendQuestion(text);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.querySelectorAll("[data-question]").forEach((chip) => {
    chip.addEventListener("click", () => sendQuestion(chip.dataset.question));
  });
  $("#chat-stop").addEventListener("click", stopAnswer);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.chatAbort && state.view === "chatt") stopAnswer();
  });
  $("#new-conversation").addEventListener("click", newConversation);
  $("#export-my-data").addEventListener("click", exportMyData);
  $("#delete-my-data").addEventListener("click", deleteMyData);
  $("#logout").addEventListener("click", logout);
}

// ---------------------------------------------------------------- tables

/**
 * A table; sortable columns get a button in the header and aria-sort.
 * columns: [{ key, label, num?, value(row)->display, sort(row)->comparable }]
 */
function dataTable({ caption, columns, rows, sortable = true, emptyText = "Inga uppgifter." }) {
  const table = el("table");
  if (caption) table.append(el("caption", {}, caption));
  const headRow = el("tr");
  const tbody = el("tbody");
  const display = (col, row) => (col.value ? col.value(row) : row[col.key]);
  const sortKey = (col, row) => (col.sort ? col.sort(row) : display(col, row));
  const fill = (data) => {
    if (!data.length) {
      tbody.replaceChildren(el("tr", {}, el("td", { colspan: columns.length }, emptyText)));
      return;
    }
    tbody.replaceChildren(
      ...data.map((row) =>
        el(
          "tr",
          {},
          columns.map((col, i) => {
            const v = display(col, row);
            const text = v === null || v === undefined || v === "" ? "–" : String(v);
            return i === 0 ? el("th", { scope: "row", class: col.num ? "num" : null }, text) : el("td", { class: col.num ? "num" : null }, text);
          }),
        ),
      ),
    );
  };
  columns.forEach((col) => {
    const th = el("th", { scope: "col", class: col.num ? "num" : null });
    if (sortable && rows.length > 1) {
      const button = el("button", { type: "button", class: "sort-btn" }, col.label);
      button.addEventListener("click", () => {
        const ascending = th.getAttribute("aria-sort") !== "ascending";
        headRow.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const sorted = [...rows].sort((a, b) => {
          const x = sortKey(col, a);
          const y = sortKey(col, b);
          if (x === y) return 0;
          if (x === null || x === undefined) return 1;
          if (y === null || y === undefined) return -1;
          const cmp = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "sv");
          return ascending ? cmp : -cmp;
        });
        fill(sorted);
      });
      th.append(button);
    } else {
      th.append(col.label);
    }
    headRow.append(th);
  });
  table.append(el("thead", {}, headRow), tbody);
  fill(rows);
  return table;
}

// ---------------------------------------------------------------- dashboard

async function ensureYears() {
  if (state.years.length) return state.years;
  const data = await api("/api/index");
  state.years = [...(data.years || [])].sort((a, b) => a - b);
  state.latest = data.latest ?? state.years[state.years.length - 1] ?? null;
  return state.years;
}

function fillYearSelect(select, years, selected) {
  select.replaceChildren(...[...years].reverse().map((y) => el("option", { value: y, selected: y === selected }, String(y))));
}

async function getReport(year) {
  if (!state.reports.has(year)) state.reports.set(year, api(`/api/index/${year}`));
  try {
    return await state.reports.get(year);
  } catch (error) {
    state.reports.delete(year);
    throw error;
  }
}

function kpiCard(fig, { main = false } = {}) {
  const card = el("div", { class: main ? "kpi kpi-main" : "kpi" });
  card.append(el("h4", { class: "kpi-label" }, main ? `${fig.label} ${fig.year}` : fig.label));
  const value = el("p", { class: "kpi-value" }, fig.display);
  if (fig.unit === "index10") value.append(el("span", { class: "kpi-scale" }, "av 10"));
  card.append(value);
  if (fig.change_display && fig.previous_year) {
    card.append(changeLine(fig));
  } else {
    card.append(el("p", { class: "kpi-change" }, "Ingen jämförelse med föregående år"));
  }
  const how = el("details", {}, el("summary", {}, "Så beräknas det"));
  if (fig.formula) how.append(el("p", {}, el("code", {}, fig.formula)));
  if (fig.n !== undefined && fig.n !== null) how.append(el("p", {}, `Underlag: n = ${fmtInt.format(fig.n)}`));
  if (fig.previous !== null && fig.previous !== undefined && fig.previous_year) {
    how.append(el("p", {}, `Föregående år (${fig.previous_year}): ${fig.unit === "percent" ? pct(fig.previous) : fmt1.format(fig.previous)}`));
  }
  card.append(how);
  if (WATERFALL_FIGURES.includes(fig.key) && fig.previous_year === fig.year - 1) {
    const button = el("button", { type: "button", class: "btn explain-btn", "aria-controls": "explain-panel" }, "Vad drev förändringen?");
    button.addEventListener("click", () => showExplanation(fig));
    card.append(button);
  }
  return card;
}

/**
 * A figure's change since the year before. Unchanged as shown (±0,0) gets a neutral marker; a
 * rise or fall is coloured good or bad only when the figure has a direction (a count has none).
 */
function changeLine(fig) {
  const text = `${fig.change_display} jämfört med ${fig.previous_year}`;
  const unchanged = String(fig.change_display).startsWith("±") || fig.change === 0;
  if (unchanged) return el("p", { class: "kpi-change same" }, el("span", { "aria-hidden": "true" }, "= "), `oförändrat (${text})`);
  const up = fig.change > 0;
  let verdict = null;
  if (fig.direction === "higher") verdict = up ? "good" : "bad";
  else if (fig.direction === "lower") verdict = up ? "bad" : "good";
  return el("p", { class: `kpi-change ${up ? "up" : "down"} ${verdict || "neutral"}` }, el("span", { "aria-hidden": "true" }, up ? "▲ " : "▼ "), text);
}

/** The figures whose change the engine explains, each with a waterfall chart. */
const WATERFALL_FIGURES = ["index", "forutsattningar", "digital_mognad", "medarbetare", "resultat", "genomforandegrad", "nytta", "nyttorealisering"];

const KIND_LABELS = { komponent: "del", "område": "område", verksamhet: "verksamhet", objekt: "objekt", nyttoslag: "nyttoslag", indikator: "indikator" };

/** A part's bars one level down (two when the figure has a single part, as Resultat). */
function explainRows(parts) {
  let rows = parts;
  while (rows.length === 1 && rows[0].children.length) rows = rows[0].children;
  return [...rows].sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution));
}

/** "Digital mognad (DiMiOS)" -> "digital mognad (DiMiOS)": abbreviations keep their case. */
function lowerFirst(label) {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

function driverText(list, lead) {
  if (!list.length) return null;
  const names = list.map((d) => `${d.label} (${KIND_LABELS[d.kind] || d.kind} i ${lowerFirst(d.component)}, ${d.contribution_display})`);
  return `${lead}: ${names.join(", ")}.`;
}

/** The parts of a change and what each contributed (the waterfall chart's table). */
function explainTable(e) {
  return dataTable({
    caption: `Bidrag till ${lowerFirst(e.label)}, ${e.base_year}–${e.year}`,
    columns: [
      { key: "label", label: "Del" },
      { key: "kind", label: "Typ", value: (r) => KIND_LABELS[r.kind] || r.kind },
      { key: "base_display", label: String(e.base_year), num: true },
      { key: "display", label: String(e.year), num: true },
      { key: "contribution_display", label: "Bidrag", num: true, sort: (r) => r.contribution },
    ],
    rows: explainRows(e.contributions),
  });
}

async function showExplanation(fig) {
  const panel = $("#explain-panel");
  const body = $("#explain-body");
  panel.hidden = false;
  $("#explain-heading").textContent = `Vad drev förändringen? ${fig.label} ${fig.previous_year}–${fig.year}`;
  body.replaceChildren(el("p", { class: "muted" }, "Hämtar förklaringen …"));
  panel.focus();
  try {
    const e = await api(`/api/index/${fig.year}/explain?figure=${encodeURIComponent(fig.key)}&base=${fig.previous_year}`);
    const lead = el("p", {}, `${e.label} gick från ${e.base_display} (${e.base_year}) till ${e.display} (${e.year}), en förändring med ${e.change_display}. Varje del bidrar exakt med sin andel; bidragen summerar till förändringen.`);
    const img = el("img", { alt: `Vattenfallsdiagram: ${e.label} ${e.base_year} till ${e.year} och vad varje del bidrog med. Samma uppgifter finns i tabellen nedan.`, width: 640, height: 384, decoding: "async" });
    const figure = el("figure", { class: "chart", "data-chart": `forandring_${e.figure}` }, img, el("figcaption", {}, "Axeln börjar inte på noll, så att små bidrag syns."));
    loadImage(img, `/api/charts/forandring_${encodeURIComponent(e.figure)}?year=${e.year}&format=svg`, () => {
      img.replaceWith(el("p", { class: "chart-missing" }, "Diagrammet kunde inte visas. Uppgifterna finns i tabellen nedan."));
    });
    const table = explainTable(e);
    const parts = [lead, figure, el("div", { class: "table-wrap" }, table)];
    for (const line of [driverText(e.drivers_up, "Mest uppåt drog"), driverText(e.drivers_down, "Mest nedåt drog")]) {
      if (line) parts.push(el("p", {}, line));
    }
    parts.push(el("p", { class: "muted small" }, `Formel: Δ ${e.label} = ${e.formula}`));
    body.replaceChildren(...parts);
  } catch (error) {
    body.replaceChildren(el("p", { class: "message is-error" }, `Förklaringen kunde inte hämtas: ${error.message}`));
  }
}

// ---------------------------------------------------------------- what if

function parseDecimal(text) {
  const cleaned = String(text).trim().replace(/\s/g, "").replace(",", ".");
  if (cleaned === "") return null;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : NaN;
}

function decimalText(value, digits) {
  return new Intl.NumberFormat("sv-SE", { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false }).format(value);
}

function initWhatIf() {
  $("#whatif-form").addEventListener("submit", runWhatIf);
  $("#target-form").addEventListener("submit", runTarget);
  $("#whatif-reset").addEventListener("click", () => {
    for (const input of $("#whatif-form").querySelectorAll("input")) input.value = input.dataset.today || "";
    $("#whatif-result").replaceChildren();
  });
  $("#explain-close").addEventListener("click", () => {
    $("#explain-panel").hidden = true;
  });
}

function renderWhatIf(report) {
  const form = $("#whatif-form");
  const f = report.figures || {};
  form.dataset.year = String(report.year);
  $("#whatif-intro").textContent = `Ändra en eller flera indata så räknar indexmotorn om indexet. Allt du inte ändrar är som ${report.year}.`;
  for (const input of form.querySelectorAll("input")) {
    const fig = f[input.name];
    input.value = fig && typeof fig.value === "number" ? decimalText(fig.value, Number(input.dataset.digits)) : "";
    input.dataset.today = input.value;
    input.disabled = !fig;
  }
  $("#whatif-result").replaceChildren();
  $("#target-result").replaceChildren();
}

function changedInputs() {
  const overrides = {};
  for (const input of $("#whatif-form").querySelectorAll("input")) {
    if (input.disabled || input.value.trim() === input.dataset.today) continue;
    const value = parseDecimal(input.value);
    if (value === null || Number.isNaN(value)) throw new Error(`Skriv ett tal i fältet ”${input.labels[0].textContent}”.`);
    overrides[input.name] = value;
  }
  return overrides;
}

const WHATIF_ROWS = ["index", "forutsattningar", "resultat", "nytta", "digital_mognad", "medarbetare", "genomforandegrad", "nyttorealisering"];

async function runWhatIf(event) {
  event.preventDefault();
  const host = $("#whatif-result");
  const year = $("#whatif-form").dataset.year;
  let overrides;
  try {
    overrides = changedInputs();
  } catch (error) {
    host.replaceChildren(el("p", { class: "message is-error" }, error.message));
    return;
  }
  if (!Object.keys(overrides).length) {
    host.replaceChildren(el("p", { class: "muted" }, "Ändra minst ett värde först."));
    return;
  }
  try {
    const result = await api(`/api/index/${year}/simulate`, { method: "POST", body: { overrides } });
    const rows = result.simulation.figures.filter((r) => WHATIF_ROWS.includes(r.key));
    rows.sort((a, b) => WHATIF_ROWS.indexOf(a.key) - WHATIF_ROWS.indexOf(b.key));
    const index = rows.find((r) => r.key === "index");
    const summary = index ? el("p", {}, `Digitaliseringsindex blir ${index.simulated_display} i stället för ${index.display} (${index.difference_display}).`) : null;
    const table = dataTable({
      caption: `Tänk om ${year}: i dag och i scenariot`,
      columns: [
        { key: "label", label: "Nyckeltal", value: (r) => r.label + (r.overridden ? " (ändrad)" : "") },
        { key: "display", label: "I dag", num: true },
        { key: "simulated_display", label: "Scenario", num: true },
        { key: "difference_display", label: "Skillnad", num: true },
      ],
      rows,
      sortable: false,
    });
    host.replaceChildren(...[summary, el("div", { class: "table-wrap" }, table)].filter(Boolean));
  } catch (error) {
    host.replaceChildren(el("p", { class: "message is-error" }, error.message));
  }
}

function targetLine(t) {
  if (t.already) return `${t.vary_label}: målet är redan nått (${t.target_label.toLowerCase()} är ${t.current_display}).`;
  if (!t.reachable) return `${t.vary_label}: räcker inte ensam. Även ${t.best_display} ger ${t.target_label.toLowerCase()} ${t.best_reaches_display}.`;
  let line = `${t.vary_label}: ${t.needed_display} behövs`;
  if (t.initiatives_needed !== null && t.initiatives_decided !== null) line += ` (${t.initiatives_needed} fler genomförda av ${t.initiatives_decided} initiativ)`;
  return `${line}.`;
}

async function runTarget(event) {
  event.preventDefault();
  const host = $("#target-result");
  const year = $("#whatif-form").dataset.year;
  const value = parseDecimal($("#target-value").value);
  if (value === null || Number.isNaN(value)) {
    host.replaceChildren(el("p", { class: "message is-error" }, "Skriv målet som ett tal, till exempel 8,5."));
    return;
  }
  try {
    const result = await api(`/api/index/${year}/simulate`, { method: "POST", body: { target: { figure: "index", value } } });
    const targets = result.targets || [];
    const first = targets[0];
    const lead = first ? `För att nå ${first.target_display} (i dag ${first.current_display} ${year}) med en indata i taget, allt annat oförändrat:` : "";
    host.replaceChildren(el("p", {}, lead), el("ul", { class: "target-list" }, targets.map((t) => el("li", {}, targetLine(t)))));
  } catch (error) {
    host.replaceChildren(el("p", { class: "message is-error" }, error.message));
  }
}

function renderHero(report) {
  const hero = $("#index-hero");
  const f = report.figures || {};
  const cards = [];
  if (f.index) cards.push(kpiCard(f.index, { main: true }));
  else {
    cards.push(
      el(
        "div",
        { class: "kpi kpi-main" },
        el("h4", { class: "kpi-label" }, `Digitaliseringsindex ${report.year}`),
        el("p", { class: "kpi-value" }, "–"),
        el("p", { class: "kpi-change" }, "Indexet kan inte beräknas för året: underlag saknas för minst en av de tre komponenterna."),
      ),
    );
  }
  for (const key of ["forutsattningar", "resultat", "nytta"]) {
    if (f[key]) cards.push(kpiCard(f[key]));
    else cards.push(el("div", { class: "kpi" }, el("h4", { class: "kpi-label" }, key === "forutsattningar" ? "Förutsättningar" : key === "resultat" ? "Resultat" : "Nytta"), el("p", { class: "kpi-value" }, "–"), el("p", { class: "kpi-change" }, "Underlag saknas för året.")));
  }
  hero.replaceChildren(...cards);
}

function renderFigureGrid(report) {
  const f = report.figures || {};
  const cards = SECONDARY_FIGURES.filter((k) => f[k]).map((k) => kpiCard(f[k]));
  $("#figure-grid").replaceChildren(...(cards.length ? cards : [el("p", { class: "muted" }, "Inga fler mått för året.")]));
}

function figValue(fig) {
  if (fig === null || fig === undefined) return null;
  if (typeof fig === "number") return fig;
  return typeof fig.value === "number" ? fig.value : null;
}

function figDisplay(fig, unit) {
  if (fig === null || fig === undefined) return null;
  if (typeof fig === "object") return fig.display ?? null;
  if (typeof fig === "number") return unit === "percent" ? pct(fig) : fmt1.format(fig);
  return String(fig);
}

/** Shares of extern/intern/neutral as percent, whether the API gives fractions or percent. */
function shareRows(shares) {
  const entries = Object.entries(shares || {}).filter(([k]) => ["extern", "intern", "neutral"].includes(k));
  const nums = entries.map(([, v]) => figValue(v) ?? 0);
  const fractions = nums.length && nums.reduce((a, b) => a + b, 0) <= 1.0001;
  const labels = { extern: "Extern nytta", intern: "Intern nytta", neutral: "Lika delar (neutral)" };
  return entries.map(([k, v]) => {
    const n = figValue(v);
    const display = typeof v === "object" && v && v.display ? v.display : n === null ? null : pct(fractions ? n * 100 : n);
    return { key: k, label: labels[k], display, sort: n };
  });
}

async function getSeries(key) {
  if (!state.series.has(key)) state.series.set(key, api(`/api/figures/${key}`).then((d) => d.series || []));
  return state.series.get(key);
}

const CHARTS = [
  {
    name: "index_trend",
    title: "Digitaliseringsindex och komponenter över tid",
    alt: (r) => {
      const f = r.figures || {};
      const now = f.index ? ` Digitaliseringsindex ${r.year}: ${f.index.display}.` : "";
      return `Linjediagram över digitaliseringsindex och de tre komponenterna förutsättningar, resultat och nytta per år, på en skala till 10.${now}`;
    },
    table: async (r) => {
      const keys = ["index", "forutsattningar", "resultat", "nytta"];
      const series = await Promise.all(keys.map((k) => getSeries(k).catch(() => [])));
      const years = [...new Set(series.flat().map((s) => s.year))].filter((y) => y <= r.year).sort();
      const rows = years.map((y) => {
        const row = { year: String(y) };
        keys.forEach((k, i) => {
          const fig = series[i].find((s) => s.year === y);
          row[k] = fig ? fig.display : null;
          row[`${k}_v`] = fig ? fig.value : null;
        });
        return row;
      });
      return dataTable({
        caption: "Index och komponenter per år",
        sortable: false,
        columns: [
          { key: "year", label: "År" },
          { key: "index", label: "Index", num: true },
          { key: "forutsattningar", label: "Förutsättningar", num: true },
          { key: "resultat", label: "Resultat", num: true },
          { key: "nytta", label: "Nytta", num: true },
        ],
        rows,
      });
    },
  },
  {
    name: "dimios",
    title: "Digital mognad per område (DiMiOS)",
    alt: (r) => {
      const areas = Object.entries(r.dimios?.by_area || {}).filter(([, f]) => figValue(f) !== null);
      if (!areas.length) return `Stapeldiagram över digital mognad per område i DiMiOS ${r.year}.`;
      areas.sort((a, b) => figValue(b[1]) - figValue(a[1]));
      const [hi, lo] = [areas[0], areas[areas.length - 1]];
      return `Stapeldiagram över digital mognad per område i DiMiOS ${r.year}. Högst: ${hi[0]} (${figDisplay(hi[1], "percent")}), lägst: ${lo[0]} (${figDisplay(lo[1], "percent")}).`;
    },
    table: async (r) => {
      const rows = [];
      for (const [name, fig] of Object.entries(r.dimios?.by_dimension || {})) rows.push({ name: `${name} (dimension)`, value: figDisplay(fig, "percent") });
      for (const [name, fig] of Object.entries(r.dimios?.by_area || {})) rows.push({ name, value: figDisplay(fig, "percent") });
      return dataTable({ caption: `Digital mognad ${r.year}`, sortable: false, columns: [{ key: "name", label: "Dimension eller område" }, { key: "value", label: "Mognad", num: true }], rows });
    },
  },
  {
    name: "portfolj_bubblor",
    title: "Portföljen: effektivisering–innovation och operativt–strategiskt",
    alt: (r) => {
      const count = r.portfolio?.count;
      return `Bubbeldiagram över ${count ? `årets ${count} initiativ` : "årets initiativ"} ${r.year}, placerade efter effektivisering (1) till innovation (5) och operativt (1) till strategiskt (5). Större bubbla betyder fler initiativ på samma punkt.`;
    },
    table: async (r) => {
      const rows = (r.portfolio?.grid || []).map((g) => ({ ie: g.innovation_effektivitet, os: g.operativt_strategiskt, count: g.count }));
      return dataTable({
        caption: `Initiativ per punkt ${r.year}`,
        columns: [
          { key: "ie", label: "Effektivisering (1) – innovation (5)", num: true },
          { key: "os", label: "Operativt (1) – strategiskt (5)", num: true },
          { key: "count", label: "Antal initiativ", num: true },
        ],
        rows,
      });
    },
  },
  {
    name: "portfolj_medel",
    title: "Det genomsnittliga initiativet per år",
    alt: (r) => `Diagram över det genomsnittliga initiativets läge på portföljens tre axlar (skala 1–5) per år fram till ${r.year}.`,
    table: async (r) => {
      const years = state.years.filter((y) => y <= r.year).slice(-3);
      const reports = await Promise.all(years.map((y) => getReport(y).catch(() => null)));
      const rows = reports
        .filter((rep) => rep && rep.portfolio && rep.portfolio.average && Object.keys(rep.portfolio.average).length)
        .map((rep) => ({ year: String(rep.year), ...Object.fromEntries(AXES.map((a) => [a.key, typeof rep.portfolio.average[a.key] === "number" ? fmt1.format(rep.portfolio.average[a.key]) : null])) }));
      return dataTable({
        caption: "Medelvärde per axel (1–5)",
        sortable: false,
        columns: [{ key: "year", label: "År" }, ...AXES.map((a) => ({ key: a.key, label: a.short, num: true }))],
        rows,
      });
    },
  },
  {
    name: "extern_intern",
    title: "Extern och intern nytta",
    alt: (r) => {
      const rows = shareRows(r.portfolio?.extern_intern);
      const text = rows.filter((x) => x.display).map((x) => `${x.label.toLowerCase()} ${x.display}`).join(", ");
      return `Diagram över andelen initiativ med extern respektive intern nytta ${r.year}${text ? `: ${text}` : ""}.`;
    },
    table: async (r) => {
      const counts = r.portfolio?.extern_intern_counts || {};
      const rows = shareRows(r.portfolio?.extern_intern).map((row) => ({ ...row, count: counts[row.key] ?? null }));
      return dataTable({
        caption: `Fördelning av nytta ${r.year}`,
        sortable: false,
        columns: [{ key: "label", label: "Nytta" }, { key: "count", label: "Antal initiativ", num: true }, { key: "display", label: "Andel", num: true }],
        rows,
      });
    },
  },
  {
    name: "objekt",
    title: "Antal initiativ per objekt",
    alt: (r) => {
      const entries = Object.entries(r.portfolio?.per_objekt || {}).sort((a, b) => b[1] - a[1]);
      const top = entries.slice(0, 3).map(([name, n]) => `${name} (${n})`).join(", ");
      return `Stapeldiagram över antal initiativ per objekt ${r.year}.${top ? ` Flest: ${top}.` : ""}`;
    },
    table: async (r) => {
      const rows = Object.entries(r.portfolio?.per_objekt || {}).map(([name, n]) => ({ name, n }));
      return dataTable({ caption: `Initiativ per objekt ${r.year}`, columns: [{ key: "name", label: "Objekt" }, { key: "n", label: "Antal initiativ", num: true }], rows });
    },
  },
];

function renderCharts(report) {
  const grid = $("#chart-grid");
  grid.replaceChildren();
  for (const chart of CHARTS) {
    const id = `chart-${chart.name}`;
    const img = el("img", { alt: chart.alt(report), width: 640, height: 400, decoding: "async" });
    const details = lazyTable(() => chart.table(report));
    const figure = el("figure", { class: "chart", id, "data-chart": chart.name }, el("figcaption", {}, `${chart.title} ${report.year}`), img, details);
    grid.append(figure);
    loadImage(img, `/api/charts/${chart.name}?year=${report.year}&format=svg`, () => {
      img.replaceWith(el("p", { class: "chart-missing" }, "Diagrammet kunde inte visas. Uppgifterna finns i tabellen nedan."));
    });
  }
}

function renderObjektTable(report) {
  const byObjekt = report.genomforande_by_objekt || {};
  const counts = report.portfolio?.per_objekt || {};
  const names = [...new Set([...Object.keys(counts), ...Object.keys(byObjekt)])];
  const rows = names.map((name) => {
    const g = byObjekt[name];
    const inputs = (g && g.inputs) || {};
    const ofDecided = typeof inputs.genomforda === "number" && typeof inputs.beslutade === "number" ? `${inputs.genomforda} av ${inputs.beslutade}` : null;
    return {
      name,
      count: counts[name] ?? null,
      grad: g ? g.display : null,
      gradValue: figValue(g),
      ofDecided,
      decided: typeof inputs.beslutade === "number" ? inputs.beslutade : g && typeof g.n === "number" ? g.n : null,
      change: bareChange(g),
      changeValue: g && typeof g.change === "number" ? g.change : null,
    };
  });
  rows.sort((a, b) => (b.count ?? -1) - (a.count ?? -1));
  $("#objekt-table").replaceChildren(
    dataTable({
      caption: `Objekt ${report.year}`,
      columns: [
        { key: "name", label: "Objekt" },
        { key: "count", label: "Antal initiativ", num: true },
        { key: "ofDecided", label: "Genomförda av beslutade", num: true, sort: (r) => r.decided },
        { key: "grad", label: "Genomförandegrad", num: true, sort: (r) => r.gradValue },
        { key: "change", label: "Förändring (procentenheter)", num: true, sort: (r) => r.changeValue },
      ],
      rows,
      emptyText: "Inga initiativ för året.",
    }),
  );
}

function renderDimiosTables(report) {
  const byArea = report.dimios?.by_area || {};
  const areaRows = Object.entries(byArea).map(([name, fig]) => ({
    name,
    dim: (fig && fig.inputs && fig.inputs.dimension) || DIMIOS_DIMENSION[name] || "",
    display: figDisplay(fig, "percent"),
    value: figValue(fig),
    n: fig && fig.n !== undefined ? fig.n : null,
    change: bareChange(fig),
    changeValue: fig && typeof fig.change === "number" ? fig.change : null,
  }));
  $("#area-table").replaceChildren(
    dataTable({
      caption: "Per område",
      columns: [
        { key: "name", label: "Område" },
        { key: "dim", label: "Dimension" },
        { key: "display", label: "Mognad", num: true, sort: (r) => r.value },
        { key: "change", label: "Förändring (p.e.)", num: true, sort: (r) => r.changeValue },
        { key: "n", label: "Svar (n)", num: true },
      ],
      rows: areaRows,
      emptyText: "Ingen DiMiOS-mätning för året.",
    }),
  );
  const byVerksamhet = report.dimios?.by_verksamhet || {};
  const vRows = Object.entries(byVerksamhet).map(([name, fig]) => ({ name, display: figDisplay(fig, "percent"), value: figValue(fig), n: fig && fig.n !== undefined ? fig.n : null }));
  vRows.sort((a, b) => (b.value ?? -1) - (a.value ?? -1));
  $("#verksamhet-table").replaceChildren(
    dataTable({
      caption: "Per verksamhet",
      columns: [
        { key: "name", label: "Verksamhet" },
        { key: "display", label: "Mognad", num: true, sort: (r) => r.value },
        { key: "n", label: "Svar (n)", num: true },
      ],
      rows: vRows,
      emptyText: "Ingen DiMiOS-mätning för året.",
    }),
  );
}

async function showYear(year) {
  const message = $("#index-message");
  const content = $("#index-content");
  content.setAttribute("aria-busy", "true");
  setMessage(message, `Hämtar ${year} …`);
  try {
    const report = await getReport(year);
    renderHero(report);
    renderWhatIf(report);
    $("#explain-panel").hidden = true;
    renderFigureGrid(report);
    renderCharts(report);
    renderObjektTable(report);
    renderDimiosTables(report);
    setMessage(message, "");
    content.hidden = false;
  } catch (error) {
    setMessage(message, `Indexet för ${year} kunde inte hämtas: ${error.message}`, "error");
  } finally {
    content.setAttribute("aria-busy", "false");
  }
}

async function loadDashboard() {
  const message = $("#index-message");
  try {
    const years = await ensureYears();
    if (!years.length) {
      setMessage(message, "Det finns inget underlag att beräkna index för.", "error");
      return;
    }
    const select = $("#year-select");
    fillYearSelect(select, years, state.latest);
    select.onchange = () => showYear(Number(select.value));
    await showYear(state.latest);
  } catch (error) {
    state.loaded.delete("index");
    setMessage(message, `Indexet kunde inte hämtas: ${error.message}`, "error");
  }
}

// ---------------------------------------------------------------- classify

async function loadObjektNames() {
  if (!state.objektNames.length) await loadHealth();
}

function confidenceBadge(c) {
  const p = confidencePct(c);
  if (p === null) return null;
  return el("span", { class: p < 50 ? "badge low" : "badge" }, `Säkerhet ${fmtInt.format(p)} %`);
}

function axisFieldset(axis, suggestion) {
  const s = suggestion[axis.key] || {};
  const value = Number(s.value);
  const options = el("div", { class: "scale-options" });
  for (let v = 1; v <= 5; v += 1) {
    const input = el("input", { type: "radio", name: axis.key, value: v, checked: v === value, id: `ax-${axis.key}-${v}` });
    const extra = v === 1 ? ` (${axis.low})` : v === 5 ? ` (${axis.high})` : v === 3 ? " (mitt emellan)" : "";
    const suggested = v === value ? " – förslag" : "";
    options.append(el("label", { for: `ax-${axis.key}-${v}` }, input, el("span", { class: v === value ? "suggested" : null, "aria-hidden": "true" }, String(v)), el("span", { class: "visually-hidden" }, `${v}${extra}${suggested}`)));
  }
  const meta = el("p", { class: "axis-meta" }, confidenceBadge(s.confidence), s.reason ? s.reason : "");
  return el(
    "fieldset",
    { class: "axis" },
    el("legend", {}, axis.legend),
    el("div", { class: "scale" }, el("span", { class: "scale-end", "aria-hidden": "true" }, `1 · ${axis.low}`), options, el("span", { class: "scale-end right", "aria-hidden": "true" }, `5 · ${axis.high}`)),
    meta,
  );
}

function formatAxisValue(v) {
  return v === null || v === undefined ? null : String(v);
}

function renderSuggestion(sug) {
  state.suggestion = sug;
  const review = $("#review-box");
  if (sug.needs_review) {
    const reasons = (sug.review_reasons || []).map((r) => el("li", {}, typeof r === "string" ? r : r.message || JSON.stringify(r)));
    review.replaceChildren(el("div", { class: "review needs" }, el("strong", {}, "Granska förslaget extra noga."), reasons.length ? el("ul", {}, reasons) : null));
  } else {
    review.replaceChildren(el("div", { class: "review ok" }, "Förslaget bedöms som säkert, men kontrollera gärna värdena innan du godkänner."));
  }
  $("#axes").replaceChildren(...AXES.map((a) => axisFieldset(a, sug)));

  const select = $("#cl-objekt");
  const names = new Set(state.objektNames);
  if (sug.objekt) names.add(sug.objekt);
  select.replaceChildren(...[...names].map((n) => el("option", { value: n, selected: n === sug.objekt }, n)));
  const hint = $("#objekt-hint");
  hint.replaceChildren(...[confidenceBadge(sug.objekt_confidence), sug.objekt_reason || ""].filter(Boolean));

  const similar = sug.similar || [];
  $("#similar").replaceChildren(
    el("h4", { class: "block-title" }, "Liknande initiativ i registret"),
    el(
      "div",
      { class: "table-wrap" },
      dataTable({
        caption: null,
        sortable: false,
        columns: [
          { key: "title", label: "Initiativ" },
          { key: "objekt", label: "Objekt" },
          { key: "innovation_effektivitet", label: "Eff.–inn.", num: true, value: (r) => formatAxisValue(r.innovation_effektivitet) },
          { key: "operativt_strategiskt", label: "Op.–strat.", num: true, value: (r) => formatAxisValue(r.operativt_strategiskt) },
          { key: "extern_intern", label: "Int.–ext.", num: true, value: (r) => formatAxisValue(r.extern_intern) },
          { key: "similarity", label: "Likhet", num: true, value: (r) => (typeof r.similarity === "number" ? `${fmtInt.format(confidencePct(r.similarity))} %` : null) },
        ],
        rows: similar,
        emptyText: "Inga liknande initiativ hittades.",
      }),
    ),
  );
  setMessage($("#accept-message"), "");
  const form = $("#accept-form");
  form.hidden = false;
  updateAcceptLabel();
}

function chosenValues() {
  const form = $("#accept-form");
  const values = {};
  for (const axis of AXES) {
    const checked = form.querySelector(`input[name="${axis.key}"]:checked`);
    values[axis.key] = checked ? Number(checked.value) : null;
  }
  values.objekt = $("#cl-objekt").value;
  return values;
}

function isCorrection() {
  const sug = state.suggestion;
  if (!sug) return false;
  const v = chosenValues();
  return AXES.some((a) => v[a.key] !== Number(sug[a.key]?.value)) || v.objekt !== sug.objekt;
}

function updateAcceptLabel() {
  const correction = isCorrection();
  $("#accept-submit").textContent = correction ? "Spara korrigering" : "Godkänn";
  $("#accept-hint").textContent = correction ? "Du har ändrat förslaget. Dina värden sparas som en korrigering." : "Godkänn förslaget som det är, eller ändra värden först.";
}

function initClassify() {
  const form = $("#classify-form");
  const message = $("#classify-message");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const title = $("#cl-title").value.trim();
    const description = $("#cl-description").value.trim();
    if (!title || !description) {
      setMessage(message, "Fyll i både titel och beskrivning.", "error");
      return;
    }
    const button = $("#cl-submit");
    button.disabled = true;
    setMessage(message, "Klassar initiativet …");
    try {
      const sug = await api("/api/initiatives/classify", { method: "POST", body: { title, description } });
      state.classifiedText = { title, description };
      renderSuggestion(sug);
      setMessage(message, "Förslaget är klart. Granska värdena nedan.", "ok");
    } catch (error) {
      setMessage(message, `Klassningen misslyckades: ${error.message}`, "error");
    } finally {
      button.disabled = false;
    }
  });
  const accept = $("#accept-form");
  accept.addEventListener("change", updateAcceptLabel);
  accept.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = $("#accept-message");
    const values = chosenValues();
    if (AXES.some((a) => !values[a.key]) || !values.objekt) {
      setMessage(out, "Välj ett värde på varje axel och ett objekt.", "error");
      return;
    }
    const correction = isCorrection();
    const body = { ...state.classifiedText, ...values, suggested: state.suggestion };
    const button = $("#accept-submit");
    button.disabled = true;
    try {
      const saved = await api("/api/initiatives/accept", { method: "POST", body });
      setMessage(out, `${correction ? "Korrigeringen är sparad" : "Klassningen är godkänd och sparad"}${saved.id !== undefined ? ` (id ${saved.id})` : ""}.`, "ok");
    } catch (error) {
      setMessage(out, `Klassningen kunde inte sparas: ${error.message}`, "error");
    } finally {
      button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------- drafts

function draftUrl() {
  const chapter = $("#draft-chapter").value;
  const year = $("#draft-year").value;
  return chapter && year ? `/api/drafts/${encodeURIComponent(chapter)}/${encodeURIComponent(year)}.docx` : null;
}

function updateDownload() {
  const link = $("#draft-download");
  const url = draftUrl();
  link.hidden = !url;
  if (url) {
    link.href = url;
    link.setAttribute("download", `utkast-${$("#draft-chapter").value}-${$("#draft-year").value}.docx`);
  }
}

function renderFiguresTable(figures) {
  if (!figures || !figures.length) return null;
  return el(
    "details",
    {},
    el("summary", {}, `Siffror i utkastet (${figures.length})`),
    el(
      "div",
      { class: "table-wrap" },
      dataTable({
        sortable: false,
        columns: [
          { key: "label", label: "Mått", value: (f) => `${f.label || f.key}${f.year ? ` ${f.year}` : ""}` },
          { key: "display", label: "Värde", num: true },
          { key: "change_display", label: "Förändring", num: true },
          { key: "formula", label: "Beräkning" },
        ],
        rows: figures.filter((f) => f && typeof f === "object"),
      }),
    ),
  );
}

function renderDraft(draft) {
  const article = $("#draft-preview");
  let markdown = String(draft.markdown || "");
  // The title is shown above the preview: drop a leading top heading that repeats it.
  const first = markdown.match(/^\s*#\s+(.*)\n/);
  if (first && draft.title && first[1].includes(draft.title)) markdown = markdown.slice(first[0].length);
  const body = el("div", { class: "draft-body" }, renderMarkdown(markdown, { headingBase: 3, marks: warningNumbers(draft.warnings) }));
  const inline = (c) => c.url && (markdown.includes(c.url) || markdown.includes(`/api/charts/${c.name}`));
  const charts = (draft.charts || []).filter((c) => !inline(c)).map((c) => {
    const img = el("img", { alt: c.caption || "Diagram till kapitlet", loading: "lazy", width: 640, height: 400 });
    const fig = el("figure", {}, img, c.caption ? el("figcaption", {}, c.caption) : null);
    loadImage(img, c.url, () => img.replaceWith(el("p", { class: "chart-missing" }, "Diagrammet kunde inte visas.")));
    return fig;
  });
  article.replaceChildren(
    el("p", { class: "msg-label" }, `Utkast · ${draft.year}`),
    el("h3", { id: "draft-title" }, draft.title || "Utkast"),
    body,
    ...charts,
    renderWarnings(draft.warnings) || "",
    renderFiguresTable(draft.figures) || "",
    renderSources(draft.sources) || "",
  );
  article.hidden = false;
  renderKlarsprak(draft.klarsprak);
}

/** A sentence with its flagged words marked (text nodes only). */
function flaggedSentence(sentence, words) {
  const li = el("li");
  const found = (words || []).filter(Boolean);
  if (!found.length) {
    li.append(sentence);
    return li;
  }
  const re = new RegExp(`(${found.map((w) => escapeRegExp(String(w))).join("|")})`, "g");
  let last = 0;
  for (const match of sentence.matchAll(re)) {
    if (match.index > last) li.append(sentence.slice(last, match.index));
    li.append(el("mark", { class: "flag" }, match[0]));
    last = match.index + match[0].length;
  }
  if (last < sentence.length) li.append(sentence.slice(last));
  return li;
}

function klarsprakGroup(title, items, render, help) {
  const list = el("ul", { class: "flag-list" }, items.map(render));
  return el("details", { open: items.length > 0 && items.length <= 3 }, el("summary", {}, `${title} (${items.length})`), el("p", { class: "muted small" }, help), items.length ? list : el("p", { class: "small" }, "Inget att påpeka."));
}

/** The plain-language check beside the draft: LIX and the flagged sentences (never rewritten). */
function renderKlarsprak(k) {
  const aside = $("#draft-klarsprak");
  if (!k || typeof k.lix !== "number") {
    aside.hidden = true;
    return;
  }
  const lix = decimalText(k.lix, 1);
  const goal = decimalText(k.lix_goal ?? 45, 0);
  const verdict = k.passes
    ? el("p", { class: "klarsprak-verdict ok" }, `Läsbarheten når målet (LIX högst ${goal}).`)
    : el("p", { class: "klarsprak-verdict" }, `Över målet LIX ${goal}.`, k.reason ? ` ${k.reason}` : " Korta meningarna eller byt långa ord.");
  aside.replaceChildren(
    el("h3", { id: "klarsprak-title" }, "Klarspråk"),
    el("p", { class: "klarsprak-lix" }, el("span", { class: "lix-value" }, `LIX ${lix}`), ` ${k.lix_level || ""}`),
    verdict,
    el("p", { class: "muted small" }, `${k.sentences} meningar, ${k.words} ord, ${k.long_words} långa ord (mer än sex bokstäver). Markeringarna är förslag att pröva; texten skrivs inte om.`),
    klarsprakGroup("Långa meningar", k.long_sentences || [], (x) => flaggedSentence(`${x.sentence} (${x.words} ord)`, []), "Meningar med fler än 25 ord."),
    klarsprakGroup("Passiv form", k.passives || [], (x) => flaggedSentence(x.sentence, x.words), "Skriv gärna vem som gör något (”vi mäter” i stället för ”det mäts”)."),
    klarsprakGroup("Substantiveringar", k.nominalisations || [], (x) => flaggedSentence(x.sentence, x.words), "Meningar med många ord på -ning, -het, -else eller -tion; ett verb är ofta tydligare."),
    klarsprakGroup("Ord att undvika", k.avoid || [], (x) => el("li", {}, el("mark", { class: "flag" }, x.term), ` → ${x.replacement}: `, el("span", { class: "muted" }, x.sentence)), "Ord från kommunens lista, med förslag på ersättning."),
  );
  aside.hidden = false;
}

async function loadDrafts() {
  const message = $("#draft-message");
  try {
    const [chapters, years] = await Promise.all([api("/api/drafts/chapters"), ensureYears()]);
    const select = $("#draft-chapter");
    select.replaceChildren(...(chapters.chapters || []).map((c) => el("option", { value: c.key }, c.title || c.key)));
    fillYearSelect($("#draft-year"), years, state.latest);
    updateDownload();
  } catch (error) {
    state.loaded.delete("utkast");
    setMessage(message, `Kapitlen kunde inte hämtas: ${error.message}`, "error");
  }
}

function initDrafts() {
  $("#draft-chapter").addEventListener("change", updateDownload);
  $("#draft-year").addEventListener("change", updateDownload);
  $("#draft-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = $("#draft-message");
    const chapter = $("#draft-chapter").value;
    const year = Number($("#draft-year").value);
    if (!chapter || !year) return;
    setMessage(message, "Skriver utkast …");
    try {
      const draft = await api("/api/drafts", { method: "POST", body: { chapter, year } });
      renderDraft(draft);
      setMessage(message, `Utkastet för ${draft.title || chapter} ${year} är klart.`, "ok");
    } catch (error) {
      setMessage(message, `Utkastet kunde inte skapas: ${error.message}`, "error");
    }
  });
  // With an API key a plain link cannot send the header: fetch the file and save it from a blob.
  $("#draft-download").addEventListener("click", async (event) => {
    if (!apiKey()) return;
    event.preventDefault();
    const link = event.currentTarget;
    try {
      const response = await rawFetch(link.href, { accept: "application/octet-stream" });
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: link.getAttribute("download") });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (error) {
      setMessage($("#draft-message"), `Word-filen kunde inte hämtas: ${error.message}`, "error");
    }
  });
}

// ---------------------------------------------------------------- documents

const KIND_SV = { report: "Rapport", initiatives: "Initiativ", initiative: "Initiativ", table: "Tabell", data: "Underlag" };
const STATUS_SV = { added: "ny", unchanged: "oförändrad", replaced: "ersatt", failed: "misslyckades" };

async function loadDocuments() {
  const message = $("#docs-message");
  const host = $("#docs-table");
  try {
    const data = await api("/api/documents");
    const docs = data.documents || [];
    const table = el("table");
    table.append(el("caption", { class: "visually-hidden" }, "Inlästa dokument"));
    table.append(el("thead", {}, el("tr", {}, ["Titel", "Källa", "År", "Typ", "Nivå", "Avsnitt", "Åtgärd"].map((h, i) => el("th", { scope: "col", class: i === 5 ? "num" : null }, h)))));
    const tbody = el("tbody");
    if (!docs.length) tbody.append(el("tr", {}, el("td", { colspan: 7 }, "Inga dokument är inlästa ännu.")));
    for (const doc of docs) {
      const remove = el("button", { type: "button", class: "btn btn-danger btn-small", "aria-label": `Ta bort ${doc.title || doc.source}` }, "Ta bort");
      remove.addEventListener("click", () => deleteDocument(doc));
      tbody.append(
        el(
          "tr",
          {},
          el("th", { scope: "row" }, doc.title || doc.source),
          el("td", {}, doc.source),
          el("td", {}, doc.year ? String(doc.year) : "–"),
          el("td", {}, KIND_SV[doc.kind] || doc.kind || "–"),
          el("td", {}, doc.level || "–"),
          el("td", { class: "num" }, doc.chunks !== undefined ? String(doc.chunks) : "–"),
          el("td", {}, remove),
        ),
      );
    }
    table.append(tbody);
    host.replaceChildren(table);
    if (message.classList.contains("is-error")) setMessage(message, "");
  } catch (error) {
    state.loaded.delete("dokument");
    setMessage(message, `Dokumentlistan kunde inte hämtas: ${error.message}`, "error");
  }
}

async function deleteDocument(doc) {
  const name = doc.title || doc.source;
  if (!window.confirm(`Ta bort ”${name}” ur sökindexet?`)) return;
  const message = $("#docs-message");
  try {
    const result = await api(`/api/documents/${encodeURIComponent(doc.source)}`, { method: "DELETE" });
    setMessage(message, `”${name}” är borttaget (${result.deleted ?? 0} avsnitt).`, "ok");
    await loadDocuments();
  } catch (error) {
    setMessage(message, `”${name}” kunde inte tas bort: ${error.message}`, "error");
  }
}

function uploadFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.setRequestHeader("Accept", "application/json");
    for (const [name, value] of Object.entries(withAuth({}))) xhr.setRequestHeader(name, value);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.upload.addEventListener("load", () => onProgress(1, true));
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body || {});
      else {
        handleAuthStatus(xhr.status);
        reject(new ApiError(messageFor(xhr.status, body), xhr.status, body));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(NETWORK_ERROR, 0, null)));
    xhr.addEventListener("abort", () => reject(new ApiError("Uppladdningen avbröts.", 0, null)));
    const data = new FormData();
    data.append("file", file);
    data.append("level", $("#upload-level").value);
    xhr.send(data);
  });
}

function initDocuments() {
  $("#upload-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = $("#upload-file");
    const message = $("#upload-message");
    const file = input.files && input.files[0];
    if (!file) {
      setMessage(message, "Välj en fil först.", "error");
      return;
    }
    const wrap = $("#upload-progress-wrap");
    const bar = $("#upload-progress");
    const label = $("#upload-progress-label");
    const button = $("#upload-submit");
    wrap.hidden = false;
    bar.value = 0;
    label.textContent = "Laddar upp …";
    button.disabled = true;
    setMessage(message, `Laddar upp ${file.name} …`);
    try {
      const result = await uploadFile(file, (fraction, done) => {
        bar.value = Math.round(fraction * 100);
        label.textContent = done ? "Läser in och indexerar …" : `Laddar upp … ${Math.round(fraction * 100)} %`;
      });
      const name = result.title || result.source || file.name;
      if (result.status === "failed") {
        setMessage(message, `${name} kunde inte läsas in.${result.error ? ` ${result.error}` : ""}`, "error");
      } else if (result.status === "unchanged") {
        setMessage(message, `${name} var redan inläst och är oförändrad (${result.chunks ?? 0} avsnitt).`, "ok");
      } else {
        const what = result.status === "replaced" ? "ersatte den tidigare versionen" : "är inläst";
        setMessage(message, `${name} ${what}: ${result.chunks ?? 0} avsnitt (${STATUS_SV[result.status] || result.status || "klar"}).`, "ok");
      }
      input.value = "";
      wrap.hidden = true;
      await loadDocuments();
    } catch (error) {
      setMessage(message, `Uppladdningen misslyckades: ${error.message}`, "error");
    } finally {
      wrap.hidden = true;
      button.disabled = false;
    }
  });
}

// ---------------------------------------------------------------- verified answers and feedback

const EDITOR_ROLES = new Set(["editor", "admin"]);

function isEditor() {
  return EDITOR_ROLES.has(state.role);
}

function formatWhen(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso || "") : fmtDate.format(d);
}

/** "Verifierat svar" with who verified it and when (the chat JSON's `verified`). */
function verifiedBadge(verified) {
  return el(
    "p",
    { class: "verified-badge" },
    el("strong", {}, "Verifierat svar"),
    ` · verifierat av ${verified.by || "okänd"} ${formatWhen(verified.at)}. Siffrorna är omräknade med dagens data.`,
  );
}

/**
 * The tools under one answer: its "Verifierat svar" label, thumbs up/down with a comment and,
 * for editors, "Verifiera svaret". `index` is the answer's place among the conversation's messages.
 */
function attachAnswerTools(node, { conversationId, index, question, result }) {
  if (!result) return;
  if (result.verified) node.querySelector(".answer").before(verifiedBadge(result.verified));
  if (!conversationId || typeof index !== "number") return;
  const tools = el("div", { class: "answer-tools" });
  tools.append(feedbackControls(conversationId, index));
  if (isEditor()) tools.append(verifyControls({ conversation_id: conversationId, message_index: index }, question, result.answer || ""));
  node.append(tools);
}

function feedbackControls(conversationId, index) {
  const status = el("p", { class: "message small", role: "status", "aria-live": "polite" });
  const comment = el("textarea", { id: `fb-comment-${conversationId}-${index}`, rows: 2, maxlength: 2000 });
  const form = el(
    "form",
    { class: "feedback-comment", hidden: true },
    el("label", { for: comment.id }, "Kommentar (valfri)"),
    comment,
    el("button", { type: "submit", class: "btn btn-secondary btn-small" }, "Skicka kommentar"),
  );
  let rating = null;
  const buttons = {};
  const send = async () => {
    try {
      await api("/api/feedback", { method: "POST", body: { conversation_id: conversationId, message_index: index, rating, comment: comment.value.trim() || null } });
      for (const [name, button] of Object.entries(buttons)) button.setAttribute("aria-pressed", String(name === rating));
      setMessage(status, "Tack för ditt omdöme. Det och samtalet visas för redaktörerna.", "ok");
      return true;
    } catch (error) {
      setMessage(status, `Omdömet kunde inte sparas: ${error.message}`, "error");
      return false;
    }
  };
  for (const [name, label, mark] of [["up", "Bra svar", "✓"], ["down", "Dåligt svar", "✗"]]) {
    buttons[name] = el(
      "button",
      {
        type: "button",
        class: `btn btn-secondary btn-small feedback-${name}`,
        "aria-pressed": "false",
        onclick: async () => {
          rating = name;
          if (await send()) {
            form.hidden = false;
            if (name === "down") comment.focus();
          }
        },
      },
      el("span", { "aria-hidden": "true" }, `${mark} `),
      label,
    );
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (rating && (await send())) setMessage(status, "Tack, kommentaren är sparad. Den och samtalet visas för redaktörerna.", "ok");
  });
  return el("div", { class: "feedback", role: "group", "aria-label": "Omdöme om svaret" }, el("span", { class: "muted small" }, "Var svaret till hjälp?"), buttons.up, buttons.down, form, status);
}

/** An editor's form to store an answer (with an edited question or text) as verified. */
function verifyControls(origin, question, answer, { onSaved = null, open = false } = {}) {
  const id = origin.feedback_id ? `fb${origin.feedback_id}` : `${origin.conversation_id}-${origin.message_index}`;
  const qInput = el("input", { id: `vq-${id}`, type: "text", maxlength: 2000, required: true });
  qInput.value = question || "";
  const aInput = el("textarea", { id: `va-${id}`, rows: 6, maxlength: 20000, required: true });
  aInput.value = answer || "";
  const status = el("p", { class: "message small", role: "status", "aria-live": "polite" });
  const form = el(
    "form",
    { class: "verify-form", hidden: !open },
    el("p", { class: "muted small" }, "Frågor med samma innebörd (och samma år och objekt) får det här svaret först. Siffror från indexmotorn räknas om varje gång svaret visas."),
    el("div", { class: "field" }, el("label", { for: qInput.id }, "Fråga"), qInput),
    el("div", { class: "field" }, el("label", { for: aInput.id }, "Svar"), aInput),
    el("button", { type: "submit", class: "btn btn-primary btn-small" }, "Spara som verifierat svar"),
  );
  const toggle = el("button", { type: "button", class: "btn btn-secondary btn-small verify-open", "aria-expanded": String(open), onclick: () => {
    form.hidden = !form.hidden;
    toggle.setAttribute("aria-expanded", String(!form.hidden));
    if (!form.hidden) aInput.focus();
  } }, origin.feedback_id ? "Gör till verifierat svar" : "Verifiera svaret");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const saved = await api("/api/verified", { method: "POST", body: { ...origin, question: qInput.value, answer: aInput.value } });
      const extra = (saved.warnings || []).join(" ");
      setMessage(status, `Svaret är verifierat.${extra ? ` ${extra}` : ""}`, "ok");
      form.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      state.loaded.delete("kvalitet");
      if (onSaved) onSaved(saved);
    } catch (error) {
      setMessage(status, `Svaret kunde inte verifieras: ${error.message}`, "error");
    }
  });
  return el("div", { class: "verify" }, toggle, form, status);
}

function feedbackItem(item) {
  const down = item.rating === "down";
  const body = el("div", { class: "feedback-detail" });
  const open = el("button", { type: "button", class: "btn btn-secondary btn-small", "aria-expanded": "false", onclick: async () => {
    if (!body.hidden && body.childElementCount) {
      body.hidden = true;
      open.setAttribute("aria-expanded", "false");
      return;
    }
    try {
      const full = await api(`/api/feedback/${encodeURIComponent(item.id)}`);
      body.replaceChildren(renderFeedbackConversation(full));
    } catch (error) {
      body.replaceChildren(el("p", { class: "message is-error" }, `Samtalet kunde inte öppnas: ${error.message}`));
    }
    body.hidden = false;
    open.setAttribute("aria-expanded", "true");
  } }, "Öppna samtalet");
  return el(
    "li",
    { class: `feedback-item ${down ? "is-down" : "is-up"}` },
    el("p", { class: "feedback-head" }, el("strong", {}, down ? "✗ Dåligt svar" : "✓ Bra svar"), ` · ${formatWhen(item.updated_at)}${item.created_by ? ` · ${item.created_by}` : ""}`),
    el("p", {}, el("span", { class: "muted" }, "Fråga: "), item.question || "–"),
    item.comment ? el("p", { class: "feedback-text" }, el("span", { class: "muted" }, "Kommentar: "), item.comment) : null,
    el("div", { class: "actions" }, open, verifyControls({ feedback_id: item.id }, item.question, item.answer, { onSaved: () => loadQuality() })),
    body,
  );
}

function renderFeedbackConversation(full) {
  const wrap = el("div", { class: "feedback-conversation" });
  const messages = full.conversation ? full.conversation.messages || [] : [];
  if (!messages.length) wrap.append(el("p", { class: "muted" }, "Samtalet är raderat av användaren. Frågan och svaret sparades med omdömet:"));
  const shown = messages.length ? messages : [{ role: "user", content: full.question }, { role: "assistant", content: full.answer, data: { sources: full.sources, tool_calls: full.tool_calls, mode: full.mode } }];
  shown.forEach((m, i) => {
    if (m.role === "user") {
      wrap.append(userMessage(m.content || ""));
      return;
    }
    const msg = assistantMessage();
    wrap.append(msg.node);
    msg.finish({ answer: m.content || "", ...(m.data || {}) });
    if (messages.length && i === full.message_index) msg.node.classList.add("is-rated");
  });
  return wrap;
}

function verifiedItem(item) {
  const status = el("p", { class: "message small", role: "status", "aria-live": "polite" });
  const remove = el("button", { type: "button", class: "btn btn-danger btn-small", onclick: async () => {
    if (!confirm(`Ta bort det verifierade svaret på ”${item.question}”?`)) return;
    try {
      await api(`/api/verified/${encodeURIComponent(item.id)}`, { method: "DELETE" });
      await loadQuality();
      $("#verified-message").textContent = `Det verifierade svaret på ”${item.question}” är borttaget.`;
    } catch (error) {
      setMessage(status, `Kunde inte ta bort: ${error.message}`, "error");
    }
  } }, "Ta bort");
  return el(
    "li",
    { class: "verified-item" },
    el("p", { class: "feedback-head" }, el("strong", {}, item.question), ` · verifierat av ${item.by || "okänd"} ${formatWhen(item.at)}`),
    el("div", { class: "verified-answer" }, renderMarkdown(item.answer || "", { headingBase: 4, images: false })),
    isEditor() ? el("div", { class: "actions" }, remove) : null,
    status,
  );
}

async function loadQuality() {
  const fbList = $("#feedback-list");
  const fbMessage = $("#feedback-message");
  if (isEditor()) {
    try {
      const data = await api("/api/feedback");
      const items = data.feedback || [];
      fbList.replaceChildren(...items.map(feedbackItem));
      setMessage(fbMessage, items.length ? "" : "Inga omdömen ännu.");
    } catch (error) {
      fbList.replaceChildren();
      setMessage(fbMessage, `Omdömena kunde inte hämtas: ${error.message}`, "error");
    }
  } else {
    fbList.replaceChildren();
    setMessage(fbMessage, "Omdömen visas bara för redaktörer.");
  }
  try {
    const data = await api("/api/verified");
    const items = data.verified || [];
    $("#verified-list").replaceChildren(...items.map(verifiedItem));
    setMessage($("#verified-message"), items.length ? "" : "Inga verifierade svar ännu.");
  } catch (error) {
    setMessage($("#verified-message"), `De verifierade svaren kunde inte hämtas: ${error.message}`, "error");
  }
}

/** After /api/me: editors see the quality tab. */
function applyRole(role) {
  state.role = role;
  $("#tab-kvalitet").hidden = !isEditor();
}

// ---------------------------------------------------------------- start

const LOADERS = {
  chatt: async () => refreshConversations(),
  index: loadDashboard,
  klassa: loadObjektNames,
  utkast: loadDrafts,
  kvalitet: loadQuality,
  dokument: loadDocuments,
};

function start() {
  initAuth();
  initTabs();
  initChat();
  initClassify();
  initDrafts();
  initWhatIf();
  initDocuments();
  loadHealth();
  loadAuthConfig().then(() => {
    // a 401 that came before we knew whether SSO is on: offer the SSO login now
    if (!$("#auth-panel").hidden) handleAuthStatus(401);
    loadUser();
  });
  const view = location.hash.slice(1);
  activate(VIEWS.includes(view) ? view : "chatt", { push: false });
  document.documentElement.dataset.ready = "true";
}

start();
