// The organisers' dashboard. Ratings come from WS /ws, which replays the store from `since` and then
// pushes new ratings live, so a reload rebuilds everything; stream health is polled from
// /api/streams (every second) and /api/sessions (every few seconds). Plain JavaScript, no
// dependencies: the chart is drawn as SVG by hand.
//
// A daemon with access tokens wants one with the scopes `subscribe` (the live ratings) and `admin`
// (stream health and the exports): open it as /dashboard#token=… (see access.js), or it asks.

import { askForToken, checkAccess, currentToken, download, fetchWithToken, openSocket, takeTokenFromAddress } from "./access.js";

const SVG = "http://www.w3.org/2000/svg";
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
const STREAMS_EVERY_MS = 1000;
const SESSIONS_EVERY_MS = 5000;
// A running stream that has not reported for this long is shown as stalled.
const STALLED_AFTER_MS = 3500;
const LATEST_SHOWN = 20;
// Bucket sizes the chart may use, in seconds; it picks the smallest that fits.
const BUCKET_SECONDS = [10, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 24 * 3600];
const MAX_BARS = 60;
// The chart covers at least this much time up to now, so a young event reads as a timeline too.
const MIN_SPAN_MS = 10 * 60 * 1000;
const CHART = { width: 960, height: 260, left: 56, right: 12, top: 14, bottom: 34 };

const root = document.getElementById("dashboard");
const elements = {
  live: document.getElementById("live"),
  totalUp: document.getElementById("total-up"),
  totalDown: document.getElementById("total-down"),
  shareUp: document.getElementById("share-up"),
  chart: document.getElementById("chart"),
  chartScale: document.getElementById("chart-scale"),
  kiosks: document.querySelector("#kiosks tbody"),
  noKiosks: document.getElementById("no-kiosks"),
  events: document.getElementById("events"),
  accessProblem: document.getElementById("access-problem"),
};

// ---- What the dashboard knows ------------------------------------------------------------------

const ratings = []; // { seq, kiosk, rating, at (ms since 1970), confidence }, in sequence order
const counts = new Map(); // kiosk → { up, down }
const totals = { up: 0, down: 0 };
let lastSeq = 0;
let gaps = 0;
let streams = []; // GET /api/streams
let sessions = []; // GET /api/sessions

function addRating(message) {
  // The server sends each rating once in order; after a reconnect `since` skips what we have.
  // The check still guards against counting one twice.
  if (typeof message.seq !== "number" || message.seq <= lastSeq) return;
  if (message.rating !== "up" && message.rating !== "down") return;
  lastSeq = message.seq;
  ratings.push({
    seq: message.seq,
    kiosk: message.kiosk,
    rating: message.rating,
    at: Date.parse(message.at),
    confidence: message.confidence,
  });
  const kiosk = counts.get(message.kiosk) ?? { up: 0, down: 0 };
  kiosk[message.rating] += 1;
  counts.set(message.kiosk, kiosk);
  totals[message.rating] += 1;
  scheduleRender();
}

// ---- Live ratings over WS /ws ------------------------------------------------------------------

function setConnection(state, text) {
  root.dataset.state = state;
  elements.live.dataset.connection = state === "live" ? "live" : state === "connecting" ? "connecting" : "offline";
  elements.live.textContent = text;
}

function subscribe() {
  let delay = RECONNECT_FIRST_MS;
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = openSocket(`${scheme}//${location.host}/ws?since=${lastSeq}`);
    let opened = false;
    socket.addEventListener("open", () => {
      opened = true;
      delay = RECONNECT_FIRST_MS;
      setConnection("live", "Live");
      showAccessProblem("subscribe", "");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === "rating") addRating(message);
      // The server replays the ratings of a gap itself; count them for whoever looks.
      if (message.type === "gap") gaps += 1;
    });
    socket.addEventListener("close", async () => {
      // A socket that never opened may have been refused for its token (a browser does not say).
      if (!opened && (await tokenRefused())) {
        connect();
        return;
      }
      setConnection("reconnecting", `Reconnecting in ${Math.ceil(delay / 1000)} s`);
      setTimeout(connect, delay);
      delay = Math.min(RECONNECT_MAX_MS, delay * 2);
    });
  };
  connect();
}

// Asks for another token when the daemon refused the one held; true when one was given.
async function tokenRefused() {
  const access = await checkAccess("subscribe");
  root.dataset.access = access;
  if (access === "unauthorized") {
    if (askForToken()) return true;
    showAccessProblem("subscribe", "This dashboard needs an access token: open it as /dashboard#token=TOKEN.");
  } else if (access === "forbidden") {
    showAccessProblem("subscribe", "This access token does not allow following the ratings (scope subscribe).");
  }
  return false;
}

// What the token does not allow, per scope; the banner shows them all.
const accessProblems = new Map();

function showAccessProblem(scope, text) {
  if (text) accessProblems.set(scope, text);
  else accessProblems.delete(scope);
  elements.accessProblem.textContent = [...accessProblems.values()].join(" ");
  elements.accessProblem.hidden = accessProblems.size === 0;
}

// ---- Stream health, polled ---------------------------------------------------------------------

async function fetchJSON(path) {
  const response = await fetchWithToken(path, { cache: "no-store" });
  if (response.status === 403) {
    showAccessProblem("admin", "This access token does not allow stream health or exports (scope admin).");
  } else if (response.ok) {
    showAccessProblem("admin", "");
  }
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

// Export links under /api/ send the token too, when there is one (a plain link cannot).
function sendTokenWithExports() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest?.("a[href^='/api/']");
    if (!link || !currentToken()) return;
    event.preventDefault();
    const path = link.getAttribute("href");
    const name = link.getAttribute("download") || path.split("?")[0].split("/").pop();
    download(path, name).catch(() => {});
  });
}

async function pollForever(path, everyMs, apply) {
  for (;;) {
    try {
      apply(await fetchJSON(path));
      scheduleRender();
    } catch {
      // The server is restarting or gone; the WebSocket shows it. Try again later.
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

// ---- Rendering ---------------------------------------------------------------------------------

let renderPending = false;

// Coalesces bursts (a replay delivers thousands of ratings at once) into one render. A timer
// rather than requestAnimationFrame: a dashboard in a background tab still keeps up.
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  setTimeout(() => {
    renderPending = false;
    render();
  }, 50);
}

function render() {
  root.dataset.ratings = String(ratings.length);
  root.dataset.lastSeq = String(lastSeq);
  root.dataset.gaps = String(gaps);
  renderTotals();
  renderChart();
  renderKiosks();
  renderEvents();
}

function renderTotals() {
  elements.totalUp.textContent = elements.totalUp.dataset.count = String(totals.up);
  elements.totalDown.textContent = elements.totalDown.dataset.count = String(totals.down);
  const all = totals.up + totals.down;
  elements.shareUp.textContent = all ? `${Math.round((100 * totals.up) / all)}%` : "–";
}

function timeOfDay(ms, withSeconds) {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: withSeconds ? "2-digit" : undefined });
}

function ago(ms) {
  if (!ms) return "never";
  const seconds = Math.max(0, Math.round((Date.now() - ms) / 1000));
  if (seconds < 2) return "now";
  if (seconds < 90) return `${seconds} s ago`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 36 * 3600) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(ms).toLocaleString();
}

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function describeBucket(seconds) {
  return seconds < 60 ? `${seconds} s` : seconds < 3600 ? `${seconds / 60} min` : `${seconds / 3600} h`;
}

// Up bars rise above the middle line and down bars hang below it, one pair per time bucket, from
// the first rating (or ten minutes ago, if that is earlier) to now.
function renderChart() {
  const chart = elements.chart;
  const { width, height, left, right, top, bottom } = CHART;
  const plotWidth = width - left - right;
  const half = (height - top - bottom) / 2;
  const middle = top + half;
  const parts = [];

  if (ratings.length === 0) {
    parts.push(svg("text", { x: width / 2, y: middle, class: "chart-empty", "text-anchor": "middle" }, "No ratings yet"));
    chart.replaceChildren(...parts);
    elements.chartScale.textContent = "";
    return;
  }

  const end = Math.max(Date.now(), ratings[ratings.length - 1].at);
  const first = Math.min(ratings[0].at, end - MIN_SPAN_MS);
  const bucketSeconds = BUCKET_SECONDS.find((s) => (end - first) / (s * 1000) < MAX_BARS) ?? BUCKET_SECONDS.at(-1);
  const bucketMs = bucketSeconds * 1000;
  const start = Math.floor(first / bucketMs) * bucketMs;
  const bars = Math.floor((end - start) / bucketMs) + 1;
  const up = new Array(bars).fill(0);
  const down = new Array(bars).fill(0);
  for (const rating of ratings) {
    const index = Math.min(bars - 1, Math.max(0, Math.floor((rating.at - start) / bucketMs)));
    (rating.rating === "up" ? up : down)[index] += 1;
  }
  const peak = Math.max(1, ...up, ...down);
  const step = plotWidth / bars;
  const barWidth = Math.max(1, step * 0.7);
  const withSeconds = bucketSeconds < 60;

  parts.push(svg("line", { x1: left, x2: width - right, y1: middle, y2: middle, class: "chart-axis" }));
  parts.push(svg("text", { x: left - 8, y: top + 10, class: "chart-label", "text-anchor": "end" }, `${peak} up`));
  parts.push(svg("text", { x: left - 8, y: height - bottom, class: "chart-label", "text-anchor": "end" }, `${peak} down`));
  for (let index = 0; index < bars; index += 1) {
    const x = left + index * step + (step - barWidth) / 2;
    const from = start + index * bucketMs;
    const label = `${timeOfDay(from, withSeconds)}: ${up[index]} up, ${down[index]} down`;
    if (up[index]) {
      const h = (up[index] / peak) * half;
      const bar = svg("rect", { x, y: middle - h, width: barWidth, height: h, class: "bar-up" });
      bar.append(svg("title", {}, label));
      parts.push(bar);
    }
    if (down[index]) {
      const h = (down[index] / peak) * half;
      const bar = svg("rect", { x, y: middle, width: barWidth, height: h, class: "bar-down" });
      bar.append(svg("title", {}, label));
      parts.push(bar);
    }
  }
  // Time labels at the start, the middle and the end of the axis.
  const ticks = bars > 2 ? [0, Math.floor(bars / 2), bars - 1] : [...Array(bars).keys()];
  for (const index of ticks) {
    const x = left + index * step + step / 2;
    const anchor = index === 0 && bars > 1 ? "start" : index === bars - 1 && bars > 1 ? "end" : "middle";
    const labelX = anchor === "start" ? left : anchor === "end" ? width - right : x;
    parts.push(svg("text", { x: labelX, y: height - 10, class: "chart-label", "text-anchor": anchor },
      timeOfDay(start + index * bucketMs, withSeconds)));
  }
  chart.replaceChildren(...parts);
  elements.chartScale.textContent = `(per ${describeBucket(bucketSeconds)})`;
}

function cell(text, className) {
  const element = document.createElement("td");
  element.textContent = text;
  if (className) element.className = className;
  return element;
}

// One row per kiosk that has rated, streamed or is streaming now.
function renderKiosks() {
  const names = new Set([...counts.keys(), ...streams.map((s) => s.kiosk), ...sessions.map((s) => s.kiosk)]);
  const rows = [...names].sort().map((name) => {
    const count = counts.get(name) ?? { up: 0, down: 0 };
    const active = streams.filter((s) => s.kiosk === name).at(-1);
    const mine = sessions.filter((s) => s.kiosk === name);
    const failed = mine.filter((s) => s.end_reason?.startsWith("error"));
    const decodeErrors = mine.reduce((sum, s) => sum + (s.decode_errors ?? 0), 0) + (active?.decode_errors ?? 0);
    const latest = mine.at(-1);
    const lastRating = ratings.findLast((r) => r.kiosk === name)?.at ?? 0;

    let stream = "offline";
    let lastSeen = Math.max(Date.parse(latest?.ended ?? latest?.started ?? "") || 0, lastRating);
    if (active) {
      lastSeen = Date.parse(active.updated);
      stream = Date.now() - lastSeen > STALLED_AFTER_MS ? "stalled" : "live";
    }
    const fps = active && stream === "live" && active.fps > 0 ? active.fps : null;

    const row = document.createElement("tr");
    row.dataset.kiosk = name;
    row.dataset.up = String(count.up);
    row.dataset.down = String(count.down);
    row.dataset.stream = stream;
    row.dataset.fps = fps === null ? "" : String(fps);
    row.dataset.sessions = String(mine.length);
    const kioskCell = cell(name);
    const statusCell = document.createElement("td");
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.dataset.stream = stream;
    badge.textContent = stream;
    statusCell.append(badge);
    const errors = cell(String(decodeErrors + failed.length), "number");
    if (failed.length) errors.title = `last: ${failed.at(-1).end_reason}`;
    else if (latest?.end_reason) errors.title = `last stream ended: ${latest.end_reason}`;
    const exportCell = document.createElement("td");
    const link = document.createElement("a");
    link.href = `/api/ratings.csv?kiosk=${encodeURIComponent(name)}&limit=10000`;
    link.download = `ratings-${name}.csv`;
    link.textContent = "CSV";
    exportCell.append(link);
    row.append(
      kioskCell,
      cell(String(count.up), "number up"),
      cell(String(count.down), "number down"),
      statusCell,
      cell(fps === null ? "–" : fps.toFixed(1), "number"),
      cell(ago(lastSeen)),
      cell(String(mine.length), "number"),
      errors,
      exportCell,
    );
    return row;
  });
  elements.kiosks.replaceChildren(...rows);
  elements.noKiosks.hidden = rows.length > 0;
}

function renderEvents() {
  const items = ratings.slice(-LATEST_SHOWN).reverse().map((rating) => {
    const item = document.createElement("li");
    item.dataset.rating = rating.rating;
    item.dataset.seq = String(rating.seq);
    const icon = document.createElementNS(SVG, "svg");
    icon.setAttribute("class", "thumb");
    icon.append(svg("use", { href: "#thumb-icon" }));
    const time = document.createElement("time");
    time.dateTime = new Date(rating.at).toISOString();
    time.textContent = timeOfDay(rating.at, true);
    const kiosk = document.createElement("span");
    kiosk.className = "event-kiosk";
    kiosk.textContent = rating.kiosk;
    const what = document.createElement("span");
    what.className = "event-rating";
    what.textContent = rating.rating === "up" ? "thumb up" : "thumb down";
    const confidence = document.createElement("span");
    confidence.className = "muted";
    confidence.textContent = typeof rating.confidence === "number" ? `${Math.round(rating.confidence * 100)}%` : "";
    item.append(icon, time, kiosk, what, confidence);
    return item;
  });
  elements.events.replaceChildren(...items);
}

// ---- Start -------------------------------------------------------------------------------------

takeTokenFromAddress();
sendTokenWithExports();
subscribe();
pollForever("/api/streams", STREAMS_EVERY_MS, (body) => { streams = body.streams ?? []; });
pollForever("/api/sessions", SESSIONS_EVERY_MS, (body) => { sessions = body.sessions ?? []; });
// "Last seen" and the chart's right edge move with the clock.
setInterval(scheduleRender, 1000);
render();
