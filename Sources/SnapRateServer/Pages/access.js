// The access token of a page, for a daemon started with --tokens. It comes from the address's
// fragment (…/kiosk?kiosk=door-1#token=…, never sent to the server, and removed from the address
// bar and history at once) or from a prompt when the daemon refuses the one held. It is kept in
// sessionStorage (this tab only, gone when it closes) and never written to the console.
//
// fetch() sends it as `Authorization: Bearer …`. A browser cannot set headers on a WebSocket, so
// sockets offer it as the subprotocol `bearer.…` beside `snaprate`, which the daemon selects.

const STORAGE_KEY = "snaprate.token";
let promptDeclined = false;

// Takes #token=… out of the address (keeping any other fragment parameters) into sessionStorage.
export function takeTokenFromAddress() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!fragment.has("token")) return;
  const token = fragment.get("token").trim();
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(history.state, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
  if (token) sessionStorage.setItem(STORAGE_KEY, token);
}

export function currentToken() {
  return sessionStorage.getItem(STORAGE_KEY) || null;
}

export function authorization(token = currentToken()) {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// A WebSocket that presents the token (if there is one).
export function openSocket(url) {
  const token = currentToken();
  return token ? new WebSocket(url, ["snaprate", `bearer.${token}`]) : new WebSocket(url);
}

// fetch() with the token. A 401 for the token still held asks for another one, once at a time;
// the caller just tries again later.
export async function fetchWithToken(path, options = {}) {
  const token = currentToken();
  const response = await fetch(path, { ...options, headers: { ...options.headers, ...authorization(token) } });
  if (response.status === 401 && currentToken() === token) askForToken();
  return response;
}

// What the held token allows, asked when a socket would not open (a browser does not say why a
// handshake failed): "ok", "unauthorized" (no token or a wrong one), "forbidden" (a token without
// `scope`) or "unreachable".
export async function checkAccess(scope) {
  try {
    const response = await fetch("/access", { cache: "no-store", headers: authorization() });
    if (response.status === 401) return "unauthorized";
    if (!response.ok) return "unreachable";
    const body = await response.json();
    return body.scopes?.includes(scope) ? "ok" : "forbidden";
  } catch {
    return "unreachable";
  }
}

// Asks for a token; true when one was given. After a declined prompt it does not ask again in
// this page's life (an unattended kiosk must not stack prompts), and the page says what to do.
export function askForToken() {
  if (promptDeclined) return false;
  const given = window.prompt("This SnapRate server needs an access token. Paste it here (it is kept in this tab only):");
  const token = given?.trim();
  if (!token) {
    promptDeclined = true;
    return false;
  }
  sessionStorage.setItem(STORAGE_KEY, token);
  return true;
}

// Downloads `path` with the token (a plain link cannot send one) under the link's file name.
export async function download(path, fileName) {
  const response = await fetchWithToken(path, { cache: "no-store" });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
