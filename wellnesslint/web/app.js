// wellnesslint review page. Plain JavaScript, no dependencies, nothing loaded from elsewhere.
// The draft is untrusted: it only ever enters the page as text nodes, never parsed as markup.
"use strict";

(function () {
  const CATEGORY_LABELS = {
    cure_claim: "Cure claim",
    absolute_claim: "Absolute claim",
    safety_claim: "Safety claim",
    evidence_claim: "Evidence claim",
    discourages_treatment: "Discourages treatment",
    missing_disclaimer: "Missing disclaimer",
  };
  const ELEMENT_LABELS = {
    not_a_substitute: "not a substitute for treatment",
    contraindications_medication: "contraindications: medication",
    contraindications_mental_health: "contraindications: mental health",
    contraindications_pregnancy: "contraindications: pregnancy",
    consult_professional: "consult a professional",
  };
  const EXTENSIONS = { md: "markdown", markdown: "markdown", mdown: "markdown", html: "html", htm: "html", xhtml: "html", txt: "text", text: "text" };
  const DEFAULT_NAMES = { markdown: "draft.md", html: "draft.html", text: "draft.txt" };
  const AUTO_DELAY = 500; // ms after the last keystroke

  const $ = (id) => document.getElementById(id);
  const draft = $("draft");
  const state = {
    linted: null, // the text the shown results belong to
    result: null,
    seq: 0,
    undo: [],
    eol: "\n", // the opened file's line breaks (a textarea always uses \n)
    encoding: "utf-8",
    bom: false,
    fileName: null,
    timer: null,
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "dataset") Object.assign(node.dataset, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message || "";
    s.classList.toggle("error", !!isError);
  }

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function safeUrl(ref) {
    const m = /https?:\/\/[^\s)>\]]+/.exec(ref || "");
    if (!m) return null;
    try {
      const url = new URL(m[0].replace(/[.,;]+$/, ""));
      return url.protocol === "https:" || url.protocol === "http:" ? url : null;
    } catch (e) {
      return null;
    }
  }

  // ---------------------------------------------------------------------------------------
  // linting

  function scheduleLint() {
    clearTimeout(state.timer);
    state.timer = setTimeout(lint, AUTO_DELAY);
  }

  async function lint() {
    clearTimeout(state.timer);
    const text = draft.value;
    const seq = ++state.seq;
    if (!text.trim()) {
      state.linted = text;
      state.result = null;
      render(null, text);
      setStatus("");
      return;
    }
    setStatus("Checking…");
    let response;
    try {
      response = await fetch("/api/lint", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ text, format: $("format").value, lang: $("lang").value }),
      });
    } catch (e) {
      if (seq === state.seq) setStatus("Cannot reach the wellnesslint server. Is `wellnesslint serve` still running?", true);
      return;
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (seq !== state.seq) return; // a newer check is under way
    if (!response.ok) {
      const why = (data && data.error) || response.statusText;
      setStatus(response.status === 413 ? "This draft is too large for the review page: " + why : "Could not check the draft: " + why, true);
      return;
    }
    state.linted = text;
    state.result = data;
    render(data, text);
    if (data.version) $("version").textContent = data.version;
    const n = data.findings.filter((f) => f.category !== "missing_disclaimer").length;
    setStatus("Checked" + (data.lang ? " as " + (data.lang === "nl" ? "Dutch" : data.lang === "en" ? "English" : data.lang) : "") +
      " " + $("format").selectedOptions[0].textContent + ": " + plural(n, "claim") + ".");
  }

  // ---------------------------------------------------------------------------------------
  // rendering

  function render(data, text) {
    const findings = data ? data.findings : [];
    const claims = findings.map((f, i) => Object.assign({ index: i }, f)).filter((f) => f.category !== "missing_disclaimer");
    renderSummary(data, claims);
    renderHighlights(text, claims);
    renderDisclaimer(data);
    renderFindings(claims);
  }

  function renderSummary(data, claims) {
    const summary = $("summary");
    const legend = $("legend");
    summary.replaceChildren();
    legend.replaceChildren();
    summary.classList.remove("clean");
    if (!data) return;
    const counts = {};
    for (const f of claims) counts[f.category] = (counts[f.category] || 0) + 1;
    const missing = data.missing_elements || [];
    if (!claims.length && !missing.length) {
      summary.classList.add("clean");
      summary.textContent = "No claims found.";
    } else {
      const parts = [];
      if (claims.length) parts.push(plural(claims.length, "claim"));
      if (missing.length) parts.push(plural(missing.length, "missing disclaimer element"));
      summary.textContent = parts.join(" · ");
    }
    for (const cat of Object.keys(CATEGORY_LABELS)) {
      const n = cat === "missing_disclaimer" ? missing.length : counts[cat] || 0;
      if (!n) continue;
      legend.append(el("li", { class: "cat-" + cat }, el("span", { class: "swatch", "aria-hidden": "true" }), CATEGORY_LABELS[cat] + " (" + n + ")"));
    }
  }

  function renderHighlights(text, claims) {
    const box = $("highlighted");
    const frag = document.createDocumentFragment();
    const spans = claims.slice().sort((a, b) => a.start - b.start || b.end - a.end);
    let pos = 0;
    for (const f of spans) {
      const start = Math.max(f.start, pos);
      const end = Math.min(f.end, text.length);
      if (end <= start) continue; // inside an earlier highlight
      if (start > pos) frag.append(document.createTextNode(text.slice(pos, start)));
      const mark = el(
        "mark",
        {
          class: "claim cat-" + f.category,
          tabindex: 0,
          title: (CATEGORY_LABELS[f.category] || f.category) + " · " + f.rule + ": " + f.message,
          dataset: { index: String(f.index), rule: f.rule, category: f.category },
          onclick: () => activate(f.index, true),
          onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); activate(f.index, true); } },
        },
        text.slice(start, end),
      );
      frag.append(mark);
      pos = end;
    }
    if (pos < text.length) frag.append(document.createTextNode(text.slice(pos)));
    box.replaceChildren(frag);
  }

  function renderDisclaimer(data) {
    const panel = $("disclaimer");
    const list = $("missing");
    const box = $("disclaimer-suggestions");
    list.replaceChildren();
    box.replaceChildren();
    const missing = (data && data.missing_elements) || [];
    panel.hidden = !missing.length;
    if (!missing.length) return;
    for (const m of missing) {
      list.append(el("li", { dataset: { element: m.element } },
        el("code", {}, m.element), " ", ELEMENT_LABELS[m.element] ? "(" + ELEMENT_LABELS[m.element] + ")" : "",
        el("div", { class: "muted" }, m.rule + ": " + m.message)));
    }
    const suggestions = data.disclaimers || [];
    if (!suggestions.length) {
      box.append(el("p", { class: "no-suggestion" }, "Add a paragraph that covers these elements."));
    }
    for (const d of suggestions) {
      box.append(
        el("div", { class: "suggestion" },
          el("span", { class: "label" }, "Suggested paragraph"),
          el("div", { class: "text" }, d.replacement.trim()),
          el("div", { class: "actions" },
            el("button", { type: "button", class: "apply insert-disclaimer", onclick: () => applyEdit(d.start, d.end, d.replacement) }, "Insert paragraph"))));
    }
  }

  function renderFindings(claims) {
    const list = $("findings");
    list.replaceChildren();
    for (const f of claims) {
      const info = f.rule_info;
      const refs = info && info.references && info.references.length
        ? el("ul", { class: "refs" }, ...info.references.map((ref) => {
            const url = safeUrl(ref);
            return el("li", {}, url ? el("a", { href: url.href, target: "_blank", rel: "noopener noreferrer" }, ref) : ref);
          }))
        : null;
      const sug = f.suggestion;
      const card = el(
        "li",
        { class: "finding cat-" + f.category, id: "finding-" + f.index, dataset: { index: String(f.index), rule: f.rule }, onclick: (ev) => {
          if (ev.target.closest("button, a, summary")) return;
          activate(f.index, false);
        } },
        el("div", { class: "head" },
          el("span", { class: "badge" }, CATEGORY_LABELS[f.category] || f.category),
          el("span", { class: "rule" }, f.rule),
          el("span", { class: "sev-" + f.severity }, f.severity),
          el("span", { class: "where" }, "line " + f.line + ", column " + f.column)),
        el("p", { class: "message" }, f.message),
        el("p", { class: "flagged" }, "Flagged: ", el("q", {}, f.text)),
        info ? el("p", { class: "rationale" }, el("strong", {}, "Why: "), info.rationale) : null,
        info && info.fix_hint ? el("p", { class: "rationale" }, el("strong", {}, "How to fix: "), info.fix_hint) : null,
        refs ? el("details", {}, el("summary", {}, "Legal basis and sources (" + info.references.length + ")"), refs) : null,
        sug
          ? el("div", { class: "suggestion" },
              el("span", { class: "label" }, "Suggested rewrite"),
              el("div", { class: "text" }, sug.replacement),
              el("div", { class: "actions" },
                el("button", { type: "button", class: "apply", dataset: { index: String(f.index) }, onclick: () => applyEdit(sug.start, sug.end, sug.replacement) }, "Apply")))
          : el("p", { class: "no-suggestion" }, "No rewrite suggested: rephrase this claim by hand."),
      );
      list.append(card);
    }
  }

  function activate(index, scrollCard) {
    for (const node of document.querySelectorAll(".active")) node.classList.remove("active");
    const card = $("finding-" + index);
    const mark = document.querySelector('mark.claim[data-index="' + index + '"]');
    if (card) {
      card.classList.add("active");
      if (scrollCard) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
    if (mark) {
      mark.classList.add("active");
      if (!scrollCard) mark.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }

  // ---------------------------------------------------------------------------------------
  // editing

  function applyEdit(start, end, replacement) {
    const text = draft.value;
    if (text !== state.linted) {
      setStatus("The draft changed since the last check: checking again first.");
      lint();
      return;
    }
    state.undo.push(text);
    $("undo").disabled = false;
    draft.value = text.slice(0, start) + replacement + text.slice(end);
    lint();
  }

  function undo() {
    if (!state.undo.length) return;
    draft.value = state.undo.pop();
    $("undo").disabled = !state.undo.length;
    lint();
  }

  function revisedText() {
    const text = draft.value;
    return state.eol === "\n" ? text : text.replace(/\n/g, state.eol);
  }

  async function copyText() {
    const text = revisedText();
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Revised text copied.");
    } catch (e) {
      draft.focus();
      draft.select();
      const ok = document.execCommand && document.execCommand("copy");
      setStatus(ok ? "Revised text copied." : "Select the draft and copy it by hand (the browser refused).", !ok);
    }
  }

  function encode(text) {
    if (state.encoding === "utf-16le" || state.encoding === "utf-16be") {
      const le = state.encoding === "utf-16le";
      const units = (state.bom ? "\ufeff" : "") + text;
      const bytes = new Uint8Array(units.length * 2);
      for (let i = 0; i < units.length; i++) {
        const u = units.charCodeAt(i);
        bytes[2 * i + (le ? 0 : 1)] = u & 0xff;
        bytes[2 * i + (le ? 1 : 0)] = u >> 8;
      }
      return bytes;
    }
    return new TextEncoder().encode((state.bom ? "\ufeff" : "") + text);
  }

  function download() {
    const fmt = $("format").value;
    const name = state.fileName || DEFAULT_NAMES[fmt] || "draft.txt";
    const type = fmt === "html" ? "text/html" : fmt === "markdown" ? "text/markdown" : "text/plain";
    const blob = new Blob([encode(revisedText())], { type: type + ";charset=" + state.encoding });
    const url = URL.createObjectURL(blob);
    const a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    setStatus("Downloaded " + name + ".");
  }

  function decode(buffer) {
    const bytes = new Uint8Array(buffer);
    let encoding = "utf-8";
    let bom = false;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bom = true;
    else if (bytes[0] === 0xff && bytes[1] === 0xfe) { encoding = "utf-16le"; bom = true; }
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) { encoding = "utf-16be"; bom = true; }
    let text;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes); // drops the BOM
    } catch (e) {
      throw new Error("this file is not UTF-8 or UTF-16 text");
    }
    if (text.indexOf("\u0000") >= 0) throw new Error("this is not a text file");
    return { text, encoding, bom };
  }

  function openFile(file) {
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      setStatus(file.name + " is larger than 2 MB, the limit of the review page. Use `wellnesslint check` for it.", true);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      let decoded;
      try {
        decoded = decode(reader.result);
      } catch (e) {
        setStatus(file.name + ": " + e.message + ".", true);
        return;
      }
      const crlf = /\r\n/.test(decoded.text);
      state.eol = crlf ? "\r\n" : /\r(?!\n)/.test(decoded.text) ? "\r" : "\n";
      state.encoding = decoded.encoding;
      state.bom = decoded.bom;
      state.fileName = file.name;
      state.undo = [];
      $("undo").disabled = true;
      $("file-name").textContent = file.name;
      const ext = (file.name.split(".").pop() || "").toLowerCase();
      if (EXTENSIONS[ext]) $("format").value = EXTENSIONS[ext];
      draft.value = decoded.text.replace(/\r\n?/g, "\n");
      lint();
    };
    reader.onerror = () => setStatus("Could not read " + file.name + ".", true);
    reader.readAsArrayBuffer(file);
  }

  // ---------------------------------------------------------------------------------------

  function init() {
    draft.addEventListener("input", scheduleLint);
    $("check").addEventListener("click", lint);
    $("lang").addEventListener("change", lint);
    $("format").addEventListener("change", lint);
    $("undo").addEventListener("click", undo);
    $("copy").addEventListener("click", copyText);
    $("download").addEventListener("click", download);
    $("file").addEventListener("change", (ev) => openFile(ev.target.files && ev.target.files[0]));
    draft.addEventListener("keydown", (ev) => {
      if ((ev.ctrlKey || ev.metaKey) && ev.key === "Enter") { ev.preventDefault(); lint(); }
    });
    fetch("/api/health").then((r) => r.json()).then((d) => { $("version").textContent = d.version; }).catch(() => {});
    if (draft.value.trim()) lint();
  }

  document.addEventListener("DOMContentLoaded", init);
})();
