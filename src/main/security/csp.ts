/**
 * The one Content Security Policy of Rekey's UI, for the Electron window and the browser host
 * alike: our own scripts and styles only, no inline code, no remote origins, no framing.
 * `src/renderer/index.html` carries it in a meta tag too (a test keeps the two equal).
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** Browsers ignore frame-ancestors in a meta tag (and say so); the page carries the rest. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.filter(
  (d) => !d.startsWith('frame-ancestors'),
).join('; ');

/** Headers every response of the browser host carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=()',
};
