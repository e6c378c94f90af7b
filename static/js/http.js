// The one way page scripts call the portal: same-origin cookies, Django's CSRF token in its header on every
// write, JSON asked for. An answer that is not JSON (a proxy's error page) comes back as {} beside its status;
// redirected says the answer came from elsewhere (a portal view that sends the signed-out to the login page).

export function csrfToken() {
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

// json: a value sent as a JSON body; form: a FormData sent as it is. A network failure rejects.
export async function request(url, { method = "GET", json, form } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let body = form;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  }
  const response = await fetch(url, { method, credentials: "same-origin", headers, body });
  let data = {};
  try {
    data = await response.json();
  } catch {
    data = {};
  }
  return { status: response.status, data, redirected: response.redirected };
}
