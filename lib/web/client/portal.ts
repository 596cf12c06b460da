/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The portal's only script, an enhancement: every page works without it. It focuses the error
 * summary, posts uploads straight to storage with a progress bar (drag-and-drop as an extra to
 * the file picker), follows an upload until its report is ready and shows it without a reload,
 * and copies a new key. Built by scripts/web/assets.ts; no inline script anywhere (CSP).
 */

interface StartAnswer {
  readonly uploadId: string;
  readonly url: string;
  readonly fields: Record<string, string>;
  readonly maxBytes: number;
  readonly statusUrl: string;
  readonly resultUrl: string;
  readonly message?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function focusSummary(root: ParentNode): void {
  const summary = root.querySelector<HTMLElement>("[data-focus-on-load]");
  if (summary) summary.focus();
}

/** Replaces the page's main content with that of `url` (same-origin, server-escaped HTML). */
async function showPage(url: string): Promise<void> {
  const response = await fetch(url, { headers: { accept: "text/html" }, credentials: "same-origin" });
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const next = doc.querySelector("main");
  const main = document.querySelector("main");
  if (!next || !main) {
    location.assign(url);
    return;
  }
  main.replaceChildren(...Array.from(next.childNodes).map((n) => document.importNode(n, true)));
  document.title = doc.title;
  if (url !== location.pathname + location.search) history.pushState(null, "", url);
  enhance(main);
  const summary = main.querySelector<HTMLElement>("[data-focus-on-load]");
  (summary ?? main.querySelector<HTMLElement>("h1") ?? main).focus?.();
  if (!summary) main.focus();
}

async function follow(statusUrl: string, resultUrl: string, say?: (text: string) => void): Promise<void> {
  for (let wait = 400; ; wait = Math.min(2000, wait * 1.4)) {
    const response = await fetch(statusUrl, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (response.status === 401) {
      location.assign("/web/login?reason=invalid");
      return;
    }
    const state = (await response.json()) as { done: boolean; label: string };
    say?.(state.label);
    if (state.done) {
      await showPage(resultUrl);
      return;
    }
    await sleep(wait);
  }
}

function post(form: StartAnswer, file: File, onProgress: (percent: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append("file", file);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.url);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    });
    xhr.addEventListener("load", () => resolve(xhr.status));
    xhr.addEventListener("error", () => reject(new Error("network")));
    xhr.send(body);
  });
}

function enhanceUpload(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type="file"]');
  const zone = form.querySelector<HTMLElement>("[data-dropzone]");
  const chosen = form.querySelector<HTMLElement>("[data-chosen]");
  const bar = form.querySelector<HTMLElement>("[data-progress]");
  const meter = form.querySelector<HTMLProgressElement>("progress");
  const text = form.querySelector<HTMLElement>("[data-progress-text]");
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  if (!input || !zone || !chosen || !bar || !meter || !text || !button) return;
  const msg = (name: string) => form.dataset[name] ?? "";
  form.classList.add("is-enhanced");
  zone.hidden = false;
  const showChosen = () => {
    const file = input.files?.[0];
    chosen.textContent = file ? msg("msgChosen").replace("{name}", file.name) : "";
  };
  input.addEventListener("change", showChosen);
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.classList.add("is-over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("is-over"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("is-over");
    if (e.dataTransfer?.files.length) {
      input.files = e.dataTransfer.files;
      showChosen();
    }
  });
  const fail = (message: string) => {
    bar.hidden = false;
    text.textContent = message;
    text.classList.add("is-error");
    button.disabled = false;
    input.focus();
  };
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    text.classList.remove("is-error");
    const file = input.files?.[0];
    if (!file) return fail(msg("msgNoFile"));
    if (file.size > Number(form.dataset.maxBytes)) return fail(msg("msgTooLarge"));
    button.disabled = true;
    bar.hidden = false;
    meter.value = 0;
    text.textContent = msg("msgUploading");
    try {
      const params = new URLSearchParams();
      params.set("period", (form.elements.namedItem("period") as HTMLSelectElement | null)?.value ?? "");
      params.set("unit", (form.elements.namedItem("unit") as HTMLInputElement | null)?.value ?? "");
      params.set("fileName", file.name);
      const started = await fetch("/web/upload/start", {
        method: "POST",
        body: params,
        credentials: "same-origin",
        headers: { accept: "application/json" },
      });
      const answer = (await started.json()) as StartAnswer;
      if (!started.ok) return fail(answer.message ?? msg("msgFailed"));
      const status = await post(answer, file, (p) => {
        meter.value = p;
        text.textContent = `${msg("msgUploading")} ${p}%`;
      });
      if (status < 200 || status >= 300) return fail(msg("msgFailed"));
      meter.value = 100;
      text.textContent = msg("msgWaiting");
      await follow(answer.statusUrl, answer.resultUrl, (label) => {
        text.textContent = `${msg("msgWaiting")}(${label})`;
      });
    } catch {
      fail(msg("msgFailed"));
    }
  });
}

/** The month picker of the upload form: the page's lock warning follows the month chosen. */
function followLocks(form: HTMLFormElement): void {
  const picker = form.elements.namedItem("period");
  const box = document.querySelector<HTMLElement>("[data-lock-notice]");
  const url = form.dataset.lockUrl;
  if (!(picker instanceof HTMLSelectElement) || !box || !url) return;
  picker.addEventListener("change", async () => {
    const response = await fetch(`${url}?period=${encodeURIComponent(picker.value)}`, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) return;
    const answer = (await response.json()) as { html: string };
    // Server-escaped markup from our own page route (the notice component), like showPage's.
    const doc = new DOMParser().parseFromString(`<div>${answer.html}</div>`, "text/html");
    box.replaceChildren(
      ...Array.from(doc.body.firstElementChild?.childNodes ?? []).map((n) => document.importNode(n, true)),
    );
  });
}

function enhanceCopy(buttonEl: HTMLButtonElement): void {
  buttonEl.addEventListener("click", async () => {
    const target = document.querySelector(buttonEl.dataset.copy ?? "");
    if (!target?.textContent) return;
    try {
      await navigator.clipboard.writeText(target.textContent);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(target);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      document.execCommand("copy");
    }
    buttonEl.textContent = buttonEl.dataset.copied ?? buttonEl.textContent;
  });
}

function enhance(root: ParentNode): void {
  for (const form of root.querySelectorAll<HTMLFormElement>("form[data-upload]")) {
    enhanceUpload(form);
    followLocks(form);
  }
  for (const b of root.querySelectorAll<HTMLButtonElement>("button[data-copy]")) enhanceCopy(b);
  for (const el of root.querySelectorAll<HTMLElement>("[data-poll]")) {
    const statusUrl = el.dataset.poll as string;
    void follow(statusUrl, el.dataset.result ?? statusUrl.replace(/\/status$/, ""));
  }
}

document.documentElement.classList.add("js");
enhance(document);
focusSummary(document);
addEventListener("popstate", () => location.reload());
