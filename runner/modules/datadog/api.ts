// The I/O edge of the Datadog modules: credentials, a configured official client with our
// own retry policy, key validation and error messages that name the object and never a key.
import type { client, v1 } from '@datadog/datadog-api-client';
import { dd } from './lib.js';
import { DATADOG_SITES, isSite } from './site.js';

/** Arguments every Datadog module accepts. */
export interface ApiArgs {
  api_url?: string;
  site?: string;
  api_key?: string;
  app_key?: string;
}

export interface ApiTarget {
  apiUrl: string;
  site: string;
  apiKey: string;
  appKey: string;
}

export type Env = Record<string, string | undefined>;

/** Retry policy. 429: wait X-RateLimit-Reset seconds (capped); 5xx: exponential backoff. */
export interface RetryPolicy {
  maxRetries: number;
  /** First 5xx backoff in ms; doubles on each attempt. */
  backoffMs: number;
  /** Upper bound for any single wait, in ms. */
  maxWaitMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 3, backoffMs: 500, maxWaitMs: 60_000 };

/** The site: the `site` arg, else DD_SITE, else datadoghq.com (roles pass datadog_site). */
export function siteOfArgs(args: ApiArgs, env: Env): string {
  return args.site || env.DD_SITE || 'datadoghq.com';
}

/** Base URL: api_url (its `{site}` replaced by the site), else https://api.<site>. */
export function apiUrlOf(args: ApiArgs, env: Env): string {
  const site = siteOfArgs(args, env);
  if (args.api_url) return args.api_url.split('{site}').join(site).replace(/\/+$/, '');
  return `https://api.${site}`;
}

/** Resolves the target, or says which key is missing. Keys default to DD_API_KEY/DD_APP_KEY. */
export function resolveTarget(args: ApiArgs, env: Env = process.env): ApiTarget | { error: string } {
  const apiKey = args.api_key || env.DD_API_KEY;
  const appKey = args.app_key || env.DD_APP_KEY;
  if (!apiKey) return { error: 'DD_API_KEY is not set (set the environment variable or pass api_key)' };
  if (!appKey) return { error: 'DD_APP_KEY is not set (set the environment variable or pass app_key)' };
  const site = siteOfArgs(args, env);
  if (!isSite(site)) return { error: `site ${JSON.stringify(site)} is not a Datadog site (${DATADOG_SITES.join(', ')})` };
  return { apiUrl: apiUrlOf(args, env), site, apiKey, appKey };
}

/**
 * Wraps the client's fetch library (its own retry turned off) and retries here:
 * 429 → sleep per X-RateLimit-Reset, 5xx → backoffMs * 2^attempt; at most maxRetries retries.
 * The last response is returned as is, so the client raises its usual ApiException.
 */
export class RetryingHttpLibrary implements client.HttpLibrary {
  private readonly inner = new (dd().client.IsomorphicFetchHttpLibrary)();
  /** Set by createConfiguration; ignored, our policy applies. */
  enableRetry?: boolean;
  maxRetries?: number;
  backoffBase?: number;
  backoffMultiplier?: number;
  debug?: boolean;
  fetch?: unknown;

  constructor(
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.inner.enableRetry = false;
    this.inner.debug = false;
  }

  async send(request: client.RequestContext): Promise<client.ResponseContext> {
    for (let attempt = 0; ; attempt++) {
      const resp = await this.inner.send(request);
      const wait = retryDelayMs(resp.httpStatusCode, resp.headers, attempt, this.policy);
      if (wait === undefined) return resp;
      await this.sleep(wait);
    }
  }
}

/** Pure: how long to wait before retrying, or undefined to stop. */
export function retryDelayMs(
  status: number,
  headers: Record<string, string>,
  attempt: number,
  policy: RetryPolicy,
): number | undefined {
  if (attempt >= policy.maxRetries) return undefined;
  if (status === 429) {
    const reset = Number.parseInt(headers['x-ratelimit-reset'] ?? '', 10);
    const ms = Number.isFinite(reset) && reset >= 0 ? reset * 1000 : policy.backoffMs * 2 ** attempt;
    return Math.min(ms, policy.maxWaitMs);
  }
  if (status >= 500 && status <= 599) return Math.min(policy.backoffMs * 2 ** attempt, policy.maxWaitMs);
  return undefined;
}

export function makeConfiguration(t: ApiTarget, policy: RetryPolicy = DEFAULT_RETRY): client.Configuration {
  return dd().client.createConfiguration({
    authMethods: { apiKeyAuth: t.apiKey, appKeyAuth: t.appKey },
    baseServer: new (dd().client.BaseServerConfiguration)(t.apiUrl, {}),
    httpApi: new RetryingHttpLibrary(policy),
    enableRetry: false,
    httpConfig: { compress: false },
  });
}

/** GET /api/v1/validate. Returns an error message or undefined when the API key is accepted. */
export async function validateKeys(t: ApiTarget, cfg: client.Configuration): Promise<string | undefined> {
  try {
    await new (dd().v1.AuthenticationApi)(cfg).validate();
    return undefined;
  } catch (e) {
    const code = statusOf(e);
    if (code === 403 || code === 401)
      return `DD_API_KEY was rejected by ${t.apiUrl}/api/v1/validate (${code}): the key is wrong, or the site may be wrong — datadog_site is ${t.site}; a key only works on its organization's site (check DD_SITE)`;
    return redact(explainApiError(e, `validating DD_API_KEY at ${t.apiUrl}`, t.apiUrl), t);
  }
}

export function statusOf(e: unknown): number | undefined {
  return e instanceof dd().client.ApiException ? e.code : undefined;
}

/** A clear message for a failed call; `action` names the object, e.g. `create dashboard "X"`. */
export function explainApiError(e: unknown, action: string, apiUrl: string): string {
  if (e instanceof dd().client.ApiException) {
    const code = e.code;
    const errors = errorsOf(e.body);
    const detail = errors.length ? `: ${errors.join('; ')}` : '';
    if (code === 400) return `${action} failed: Datadog rejected the request (400)${detail}`;
    if (code === 401 || code === 403)
      return `${action} failed: permission denied (${code}) — check DD_APP_KEY and its scopes${detail}`;
    if (code === 404) return `${action} failed: not found (404)${detail}`;
    if (code === 429) return `${action} failed: still rate limited (429) after ${DEFAULT_RETRY.maxRetries} retries`;
    if (code >= 500) return `${action} failed: Datadog server error (${code}) after ${DEFAULT_RETRY.maxRetries} retries`;
    return `${action} failed: HTTP ${code}${detail}`;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return `${action} failed: cannot reach ${apiUrl}: ${msg}`;
}

/** The `errors` of a body: v1 strings or v2 JSON:API error objects ({status, title, detail, source}). */
export function errorsOf(body: unknown): string[] {
  if (typeof body === 'string') {
    const m = /Body: "([\s\S]*)"$/.exec(body);
    const text = (m ? m[1]! : body).trim();
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') return errorsOf(parsed);
    } catch {
      /* not JSON: the text itself */
    }
    return text ? [text.slice(0, 300)] : [];
  }
  if (body && typeof body === 'object' && Array.isArray((body as { errors?: unknown }).errors)) {
    return (body as { errors: unknown[] }).errors.map(errorText);
  }
  return [];
}

function errorText(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as { title?: unknown; detail?: unknown; source?: { pointer?: unknown; parameter?: unknown } };
    const text = [o.title, o.detail].filter((x) => typeof x === 'string' && x !== '').join(': ');
    const where = o.source?.pointer ?? o.source?.parameter;
    if (text) return typeof where === 'string' ? `${text} (at ${where})` : text;
    const s = JSON.stringify(e);
    return s.length > 300 ? s.slice(0, 300) : s;
  }
  return String(e);
}

/** Belt and braces: no key survives into a message. */
export function redact(msg: string, t: Pick<ApiTarget, 'apiKey' | 'appKey'>): string {
  let out = msg;
  for (const k of [t.apiKey, t.appKey]) if (k && k.length >= 4) out = out.split(k).join('***');
  return out;
}

/** Runs one API call, turning any failure into a thrown Error with a redacted, explained message. */
export async function call<T>(t: ApiTarget, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new Error(redact(explainApiError(e, action, t.apiUrl), t));
  }
}
