// The rating kiosk: camera → MediaRecorder → WS /ingest/{kiosk}; classes and ratings come back on
// the same socket. Plain JavaScript, no dependencies, so it runs offline at a venue.
//
// Every (re)connection records with a fresh MediaRecorder: the daemon decodes each socket as one
// WebM or MP4 stream, which must start with the recorder's first chunk (WebM's EBML header, MP4's
// ftyp box).
//
// /kiosk?kiosk=door-1&record=mp4 (or record=webm) records only that container, where the browser
// can: to try the path another browser would take (the browser tests force MP4 in Chromium).
//
// A daemon with access tokens wants one with the scope `ingest`: open the page as
// /kiosk?kiosk=door-1#token=… (see access.js), or it asks for one when its socket is refused.

import { askForToken, checkAccess, openSocket, takeTokenFromAddress } from "./access.js";

const KIOSK_ID = /^[A-Za-z0-9_-]{1,64}$/;
// Preferred first: VP8 is what every Chromium and Firefox records and the cheapest to decode.
// Safari before 18.4 (macOS from 14.1, iOS and iPadOS from 14.3) records only H.264 in fragmented
// MP4, which the daemon reads too; Chromium records MP4 as well but sends a fragment only every
// few seconds, so it stays last.
const MIME_TYPES = [
  "video/webm;codecs=vp8",
  "video/webm;codecs=vp9",
  "video/webm",
  "video/mp4;codecs=avc1.42E01E",
  "video/mp4;codecs=avc1",
  "video/mp4",
];
// What `record=` may restrict the choice to.
const CONTAINERS = ["webm", "mp4"];
const TIMESLICE_MS = 200;
// What the shared clips, on which accuracy is measured, are encoded at. A still booth's camera
// noise costs the server's decoder in proportion to the bits, and a venue shares its Wi-Fi.
const VIDEO_BITS_PER_SECOND = 1_000_000;
const CONFIRMATION_MS = 3500;
// A class older than this is no longer what the camera sees.
const CLASS_STALE_MS = 2000;
const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
// A stream that lasted this long was a working one: the next reconnect starts from the first delay.
// Shorter ones (refused, closed at once) back off, so a broken stream is not retried twice a second.
const STEADY_STREAM_MS = 10_000;
const CAMERA_RETRY_MS = 3000;
// More than this waiting in the socket means the network cannot keep up: start a fresh stream
// rather than fall further behind (chunks cannot be dropped from the middle of a stream).
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
// The confirmed ratings listed in data-confirmed (the count keeps going).
const CONFIRMED_KEPT = 100;

const CLASS_LABELS = {
  up: "Thumb up",
  down: "Thumb down",
  none: "No thumb",
  nohand: "Waiting for a hand",
};

const root = document.getElementById("kiosk");
const elements = {
  name: document.getElementById("kiosk-name"),
  connection: document.getElementById("connection"),
  stage: document.getElementById("stage"),
  preview: document.getElementById("preview"),
  seen: document.getElementById("seen"),
  seenLabel: document.getElementById("seen-label"),
  prompt: document.getElementById("prompt"),
  confirmation: document.getElementById("confirmation"),
  confirmationText: document.getElementById("confirmation-text"),
  problem: document.getElementById("problem"),
  problemText: document.getElementById("problem-text"),
  setup: document.getElementById("setup"),
  setupName: document.getElementById("setup-name"),
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function setState(state) {
  root.dataset.state = state;
}

function setConnection(connection, text) {
  elements.connection.dataset.connection = connection;
  elements.connection.textContent = text;
}

function showProblem(text) {
  elements.problemText.textContent = text;
  elements.problem.hidden = !text;
}

// ---- Setup: a kiosk needs a name -------------------------------------------------------------

function kioskFromAddress() {
  const name = new URLSearchParams(location.search).get("kiosk");
  return name && KIOSK_ID.test(name) ? name : null;
}

function showSetup() {
  setState("setup");
  elements.stage.hidden = true;
  elements.setup.hidden = false;
  const given = new URLSearchParams(location.search).get("kiosk");
  if (given) elements.setupName.value = given;
  elements.setup.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = elements.setupName.value.trim();
    if (!KIOSK_ID.test(name)) return;
    location.search = "?kiosk=" + encodeURIComponent(name);
  });
}

// ---- Camera ------------------------------------------------------------------------------------

function chooseMimeType() {
  const only = new URLSearchParams(location.search).get("record");
  const allowed = CONTAINERS.includes(only) ? MIME_TYPES.filter((type) => type.startsWith(`video/${only}`)) : MIME_TYPES;
  return allowed.find((type) => MediaRecorder.isTypeSupported(type)) ?? null;
}

function cameraProblem(error) {
  switch (error?.name) {
    case "NotAllowedError":
      return "Camera access was refused. Allow the camera for this page, then reload.";
    case "NotFoundError":
    case "OverconstrainedError":
      return "No camera found. Connect one; the page keeps trying.";
    case "NotReadableError":
      return "The camera is busy (another program uses it). The page keeps trying.";
    default:
      return `The camera could not start (${error?.message ?? error}). The page keeps trying.`;
  }
}

// Resolves with a live camera stream, retrying until there is one.
async function openCamera() {
  for (;;) {
    try {
      const camera = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 30 }, facingMode: "user" },
      });
      showProblem("");
      return camera;
    } catch (error) {
      setState("failed");
      showProblem(cameraProblem(error));
      if (error?.name === "NotAllowedError") throw error;
      await sleep(CAMERA_RETRY_MS);
    }
  }
}

function cameraIsLive(camera) {
  return camera?.getVideoTracks().some((track) => track.readyState === "live") ?? false;
}

// ---- What the daemon sends back ------------------------------------------------------------------

let lastClassAt = 0;
let confirmationTimer = null;
const confirmed = [];

function showClass(message) {
  root.dataset.classMessages = String(Number(root.dataset.classMessages) + 1);
  const shown = message.hands === 0 ? "nohand" : message.class;
  elements.seen.dataset.class = shown;
  elements.seenLabel.textContent = CLASS_LABELS[shown] ?? shown;
  lastClassAt = performance.now();
}

function forgetStaleClass() {
  if (lastClassAt && performance.now() - lastClassAt > CLASS_STALE_MS) {
    elements.seen.dataset.class = "unknown";
    elements.seenLabel.textContent = "…";
    lastClassAt = 0;
  }
}

function confirmRating(rating) {
  confirmed.push(rating);
  if (confirmed.length > CONFIRMED_KEPT) confirmed.shift();
  const count = Number(root.dataset.confirmedCount) + 1;
  root.dataset.confirmedCount = String(count);
  root.dataset.confirmed = confirmed.join(" ");
  root.dataset.lastRating = rating;

  elements.confirmation.dataset.rating = rating;
  elements.confirmationText.textContent = rating === "up" ? "Your thumb up was counted" : "Your thumb down was counted";
  elements.confirmation.hidden = false;
  elements.prompt.hidden = true;
  setState("confirmed");
  clearTimeout(confirmationTimer);
  confirmationTimer = setTimeout(() => {
    elements.confirmation.hidden = true;
    elements.prompt.hidden = false;
    if (root.dataset.state === "confirmed") setState("waiting");
  }, CONFIRMATION_MS);
}

function handleMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  switch (message.type) {
    case "class":
      showClass(message);
      break;
    case "rating":
      if (message.rating === "up" || message.rating === "down") confirmRating(message.rating);
      break;
    case "error":
      showProblem(`The server could not read this stream: ${message.message}`);
      break;
  }
}

// ---- One stream: a socket and its own recorder ---------------------------------------------------

function ingestAddress(kiosk) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/ingest/${encodeURIComponent(kiosk)}`;
}

// Streams the camera until the socket closes; resolves with how long it was open (0: never).
function streamOnce(kiosk, camera, mimeType) {
  return new Promise((resolve) => {
    const socket = openSocket(ingestAddress(kiosk));
    let recorder = null;
    let openedAt = null;
    // Closes this stream from the page's side, saying why (the daemon logs it; so does the page).
    const giveUp = (code, reason) => {
      root.dataset.lastProblem = reason;
      if (socket.readyState === WebSocket.CONNECTING || socket.readyState === WebSocket.OPEN) {
        socket.close(code, reason.slice(0, 100)); // a close reason may have at most 123 bytes
      }
    };
    const stopTrackWatch = watchCamera(camera, () => giveUp(4000, "camera gone"));

    socket.addEventListener("open", () => {
      openedAt = performance.now();
      root.dataset.connections = String(Number(root.dataset.connections) + 1);
      recorder = new MediaRecorder(camera, { mimeType, videoBitsPerSecond: VIDEO_BITS_PER_SECOND });
      recorder.addEventListener("dataavailable", (event) => {
        if (socket.readyState !== WebSocket.OPEN || event.data.size === 0) return;
        if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
          giveUp(4001, "network too slow");
          return;
        }
        socket.send(event.data);
      });
      recorder.addEventListener("error", (event) => giveUp(4002, `recorder failed: ${event.error?.message ?? "unknown"}`));
      recorder.start(TIMESLICE_MS);
      setConnection("live", "Live");
      showProblem("");
      if (root.dataset.state !== "confirmed") setState("waiting");
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") handleMessage(event.data);
    });
    socket.addEventListener("close", (event) => {
      root.dataset.lastClose = `${event.code} ${event.reason}`.trim();
      stopTrackWatch();
      if (recorder && recorder.state !== "inactive") recorder.stop();
      resolve(openedAt === null ? 0 : performance.now() - openedAt);
    });
  });
}

// Calls `onEnded` once if the camera goes away (unplugged, taken by the system).
function watchCamera(camera, onEnded) {
  const tracks = camera.getVideoTracks();
  const listener = () => onEnded();
  tracks.forEach((track) => track.addEventListener("ended", listener, { once: true }));
  return () => tracks.forEach((track) => track.removeEventListener("ended", listener));
}

// Streams forever: reconnects with backoff, reopens the camera when it went away.
async function run(kiosk) {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
    setState("failed");
    setConnection("offline", "No camera access");
    showProblem("This page may only use the camera over https or on localhost. "
      + "Open it as https://…, or as http://localhost:PORT/kiosk on the machine running SnapRate (see the README).");
    return;
  }
  const mimeType = window.MediaRecorder ? chooseMimeType() : null;
  if (!mimeType) {
    setState("failed");
    showProblem("This browser cannot record WebM or MP4 video. Use Chromium, Chrome, Edge, Firefox or Safari.");
    return;
  }

  root.dataset.recording = mimeType;
  let camera = null;
  let delay = RECONNECT_FIRST_MS;
  for (;;) {
    if (!cameraIsLive(camera)) {
      setState("starting");
      elements.seenLabel.textContent = "Starting the camera…";
      camera = await openCamera();
      elements.preview.srcObject = camera;
      const settings = camera.getVideoTracks()[0]?.getSettings() ?? {};
      root.dataset.camera = `${settings.width}x${settings.height}@${settings.frameRate}`;
    }
    setState("connecting");
    setConnection("connecting", "Connecting…");
    const lasted = await streamOnce(kiosk, camera, mimeType);
    if (lasted === 0 && (await tokenRefused())) {
      delay = RECONNECT_FIRST_MS;
      continue; // a new token: try it at once
    }
    delay = lasted >= STEADY_STREAM_MS ? RECONNECT_FIRST_MS : Math.min(RECONNECT_MAX_MS, delay * 2);
    setState("reconnecting");
    setConnection("offline", `Reconnecting in ${Math.ceil(delay / 1000)} s`);
    await sleep(delay);
  }
}

// A socket that never opened: was it the token? Asks for another one if so; true when one was given.
async function tokenRefused() {
  const access = await checkAccess("ingest");
  root.dataset.access = access;
  if (access === "unauthorized") {
    if (askForToken()) return true;
    showProblem("This kiosk needs an access token with the scope ingest: open it as /kiosk?kiosk=NAME#token=TOKEN.");
  } else if (access === "forbidden") {
    showProblem("This kiosk's access token does not allow streaming (it needs the scope ingest).");
  }
  return false;
}

// ---- Kiosk comforts ----------------------------------------------------------------------------

// Keep the screen on while the page is shown (where the browser allows it).
async function keepScreenOn() {
  try {
    if (document.visibilityState === "visible") await navigator.wakeLock?.request("screen");
  } catch {
    // Not granted (battery saver, headless): the kiosk still works.
  }
}

function enableFullScreenOnTap() {
  elements.stage.addEventListener("click", () => {
    if (!document.fullscreenElement) document.documentElement.requestFullscreen?.().catch(() => {});
  });
}

function main() {
  takeTokenFromAddress();
  const kiosk = kioskFromAddress();
  if (!kiosk) {
    showSetup();
    return;
  }
  elements.name.textContent = kiosk;
  document.title = `SnapRate · ${kiosk}`;
  enableFullScreenOnTap();
  keepScreenOn();
  document.addEventListener("visibilitychange", keepScreenOn);
  setInterval(forgetStaleClass, 500);
  run(kiosk).catch((error) => {
    setState("failed");
    setConnection("offline", "Stopped");
    if (elements.problem.hidden) showProblem(`The kiosk stopped: ${error?.message ?? error}`);
  });
}

main();
