import { DNS_NAME } from './hosts';
import { ProblemCollector } from './validation';

/**
 * What a browser does with storage: read objects (GET, HEAD; Flutter web loads images with fetch) and upload
 * straight to the bucket (Serverpod's direct uploads POST, or PUT, to the bucket's endpoint).
 */
export const STORAGE_CORS_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'POST'];

/** How long a browser may reuse a preflight answer. */
export const STORAGE_CORS_MAX_AGE_SEC = 3600;

/**
 * An origin as a browser sends it: `https://`, a lowercase DNS name, optionally a port, and nothing after it
 * (no path, not even `/`, which would never match). `*` and plain `http://` are refused: storage answers only
 * the app's own origins, over TLS.
 */
export function isHttpsOrigin(origin: string): boolean {
  const m = /^https:\/\/([^/:?#]+)(?::([0-9]{1,5}))?$/.exec(origin);
  return m !== null && DNS_NAME.test(m[1]) && (m[2] === undefined || Number(m[2]) <= 65535);
}

/** Records each origin that is not an https origin (`field[i]`), and an empty list when `required`. */
export function checkCorsOrigins(problems: ProblemCollector, field: string, origins: readonly string[], required: boolean): void {
  if (required) problems.check(origins.length >= 1, field, origins, 'at least one origin');
  origins.forEach((origin, i) => {
    problems.check(isHttpsOrigin(origin), `${field}[${i}]`, origin, 'an origin such as https://app.example.com: https, a lowercase DNS name, an optional port, no path and no *');
  });
}
