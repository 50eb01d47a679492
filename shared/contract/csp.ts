/**
 * One Content-Security-Policy for both shells: no remote origins, no eval, scripts only from the app itself.
 * style-src allows inline styles because Mantine sets CSS variables and style attributes at run time.
 */
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
];
/** As an HTTP header (host, Electron's response hook). */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
/** As a <meta> tag in index.html, which may not carry frame-ancestors. */
export const CONTENT_SECURITY_POLICY_META = DIRECTIVES.join('; ');
