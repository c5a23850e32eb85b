import type { Attributes } from '@opentelemetry/api';
import type { IncomingMessage } from 'node:http';

// The stable HTTP server attributes of a request as it arrives (OpenTelemetry's semantic
// conventions for HTTP spans), read from the request line, the headers a proxy may add and
// the socket. Bad header values are left out rather than recorded half-parsed.

/** The methods the conventions name; any other is recorded as `_OTHER`, and its span is named `HTTP`. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY']);

/** Query parameters that carry credentials in pre-signed URLs: their values are recorded as REDACTED. */
const CREDENTIAL_PARAMS = /(^|&)(AWSAccessKeyId|Signature|sig|X-Goog-Signature)=[^&]*/g;

/** The method as the conventions record it, and the span name's first word. */
export function conventionalMethod(method: string): { recorded: string; inName: string } {
  return KNOWN_METHODS.has(method) ? { recorded: method, inName: method } : { recorded: '_OTHER', inName: 'HTTP' };
}

export function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function portOf(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

export interface Endpoint {
  address: string;
  port?: number;
}

/**
 * A host or node as headers write it: `name`, `name:port`, `[v6]`, `[v6]:port`, or a bare IPv6
 * address; the brackets are dropped, and a port that is not one is left out. Undefined for
 * nothing, or for an empty or unclosed host.
 */
export function parseEndpoint(value: string | undefined): Endpoint | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    const address = close === -1 ? '' : text.slice(1, close);
    if (!address) return undefined;
    const port = text[close + 1] === ':' ? portOf(text.slice(close + 2)) : undefined;
    return port === undefined ? { address } : { address, port };
  }
  const colon = text.indexOf(':');
  // More than one colon without brackets: an IPv6 address, with no port.
  if (colon === -1 || text.indexOf(':', colon + 1) !== -1) return { address: text };
  if (colon === 0) return undefined;
  const port = portOf(text.slice(colon + 1));
  return port === undefined ? { address: text.slice(0, colon) } : { address: text.slice(0, colon), port };
}

function firstValue(header: string | string[] | undefined): string | undefined {
  return (Array.isArray(header) ? header[0] : header)?.split(',', 1)[0]?.trim() || undefined;
}

/** The parameters of the first element of a Forwarded header (RFC 7239), keys lower-cased, quotes removed. */
function firstForwarded(header: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of (header?.split(',', 1)[0] ?? '').split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 1) continue;
    params[pair.slice(0, equals).trim().toLowerCase()] = pair.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return params;
}

/**
 * The attributes a SERVER span starts with. Where a proxy says what it saw (Forwarded, else
 * X-Forwarded-For, -Host and -Proto), the client, the host and the scheme are what the first
 * proxy saw; the peer is always this socket's.
 */
export function requestAttributes(req: IncomingMessage): Attributes {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const method = req.method ?? 'GET';
  const { headers, socket } = req;
  // What the first proxy saw, when one says so; else this server's own view.
  const forwarded = headers.forwarded ? firstForwarded(headers.forwarded) : {};
  const scheme = (forwarded.proto ?? firstValue(headers['x-forwarded-proto']))?.toLowerCase() === 'https' ? 'https' : 'http';
  const server = parseEndpoint(forwarded.host ?? firstValue(headers['x-forwarded-host']) ?? headers.host);
  const client = parseEndpoint(forwarded.for ?? firstValue(headers['x-forwarded-for']));
  const { recorded } = conventionalMethod(method);

  const attributes: Attributes = {
    'http.request.method': recorded,
    'url.scheme': scheme,
    'url.path': pathOf(url),
    'network.protocol.version': req.httpVersion,
    'network.peer.address': socket.remoteAddress,
    'network.peer.port': socket.remotePort,
    'client.address': client?.address ?? socket.remoteAddress,
    'user_agent.original': headers['user-agent'],
  };
  if (query !== -1) attributes['url.query'] = url.slice(query + 1).replace(CREDENTIAL_PARAMS, '$1$2=REDACTED');
  if (recorded !== method) attributes['http.request.method_original'] = method;
  if (server) {
    attributes['server.address'] = server.address;
    attributes['server.port'] = server.port ?? (scheme === 'https' ? 443 : 80);
  }
  return attributes;
}
