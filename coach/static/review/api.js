// The paths API as the review page calls it: bearer token, JSON in and out, errors with
// their status and body (a 422 carries the blocking problems).

const TOKEN_KEY = "blendcoach:review-token";

export class ApiError extends Error {
  constructor(status, detail, body = null) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.body = body;
  }

  /** The problems a refusal lists, wherever the body puts them. */
  get problems() {
    const detail = this.body?.detail;
    const list = detail?.problems ?? this.body?.problems;
    return Array.isArray(list) ? list : [];
  }

  /** The refusal's message without its problem list. */
  get reason() {
    const detail = this.body?.detail;
    if (typeof detail === "string") return detail;
    if (typeof detail?.message === "string") return detail.message;
    if (Array.isArray(detail)) return detail.map((d) => d.msg ?? JSON.stringify(d)).join("; ");
    return this.message;
  }
}

/** The token: a `#token=` fragment (then wiped from the address bar) or this tab's storage. */
export function readToken() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const fromUrl = fragment.get("token");
  if (fromUrl) {
    saveToken(fromUrl);
    fragment.delete("token");
    const rest = fragment.toString();
    history.replaceState(null, "", location.pathname + location.search + (rest ? `#${rest}` : ""));
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // storage disabled: sign in on each visit
  }
}

export function saveToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage disabled */
  }
}

export class Api {
  constructor(token) {
    this.token = token;
  }

  async request(path, { method = "GET", body } = {}) {
    const headers = { Authorization: `Bearer ${this.token}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, "network");
    }
    let data = null;
    try {
      data = await res.json();
    } catch {
      /* no JSON body */
    }
    if (!res.ok) throw new ApiError(res.status, data?.detail ?? (res.statusText || `HTTP ${res.status}`), data);
    return data;
  }

  me() {
    return this.request("/v1/me");
  }

  /** One page of paths; `filters` holds status, team, role, item, limit, offset. */
  listPaths(filters) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v !== "" && v != null) query.set(k, v);
    return this.request(`/v1/paths?${query}`);
  }

  getPath(id, against = null) {
    const query = against == null ? "" : `?against=${encodeURIComponent(against)}`;
    return this.request(`/v1/paths/${encodeURIComponent(id)}${query}`);
  }

  /** A review action on one path, with the revision the reviewer saw. */
  review(id, body) {
    return this.request(`/v1/paths/${encodeURIComponent(id)}/review`, { method: "POST", body });
  }

  /** Catalog items whose id, title or skills hold every word of `q`: { items, total }. */
  searchItems(q, limit = 50) {
    const query = new URLSearchParams({ q, limit: String(limit) });
    return this.request(`/v1/catalog/items?${query}`);
  }

  /** An item's sessions in date order, with the seats free now: { sessions }. */
  itemSessions(itemId) {
    return this.request(`/v1/catalog/items/${encodeURIComponent(itemId)}/sessions`);
  }

  bulkApprove(body) {
    return this.request("/v1/paths/review", { method: "POST", body: { action: "approve", ...body } });
  }
}
