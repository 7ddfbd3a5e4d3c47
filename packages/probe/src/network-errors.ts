/**
 * Network failures in plain words. Node reports them as codes (ECONNREFUSED, ENOTFOUND, SELF_SIGNED_CERT_IN_CHAIN);
 * the person reading a failed deploy needs to know what happened and, for TLS, what to do about it.
 */

const UNTRUSTED_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export function describeNetworkError(error: unknown, url: URL): string {
  const err = error as { code?: string; message?: string; reason?: string } | undefined;
  const code = err?.code ?? '';
  const host = url.hostname;
  const where = `${host}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  if (UNTRUSTED_CA.has(code)) {
    return (
      `TLS certificate of ${host} is not trusted (${code}): it is signed by an unknown certificate authority; ` +
      'if the service uses a private CA, give its certificate file in NODE_EXTRA_CA_CERTS'
    );
  }
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (nothing is listening there)`;
    case 'ENOTFOUND':
      return `DNS lookup failed: host ${host} not found`;
    case 'EAI_AGAIN':
      return `DNS lookup of ${host} failed temporarily (EAI_AGAIN)`;
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return `connection reset by ${where} before a complete response`;
    case 'EPIPE':
      return `connection to ${where} closed while sending the request`;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `connection to ${where} timed out`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable from this runner (${code})`;
    case 'CERT_HAS_EXPIRED':
      return `TLS certificate of ${host} has expired`;
    case 'CERT_NOT_YET_VALID':
      return `TLS certificate of ${host} is not valid yet`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `TLS certificate does not cover the host name ${host}${err?.reason ? ` (${err.reason})` : ''}`;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS handshake with ${where} failed (does it speak plain HTTP? then use an http:// URL)`;
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_STATUS':
      return `${where} did not answer with HTTP (does it expect TLS? then use an https:// URL)`;
    default: {
      const message = err?.message ?? String(error);
      return `request to ${where} failed: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
    }
  }
}
