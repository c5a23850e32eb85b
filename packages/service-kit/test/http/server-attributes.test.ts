import type { IncomingMessage } from 'node:http';
import { parseEndpoint, requestAttributes } from '../../src/http/server-attributes';

/** A request as the server hands it over, with only what the attributes read. */
function incoming(url: string, headers: IncomingMessage['headers'], method = 'GET'): IncomingMessage {
  return { url, method, headers, httpVersion: '1.1', socket: { remoteAddress: '10.0.0.7', remotePort: 51234 } } as unknown as IncomingMessage;
}

describe('parseEndpoint', () => {
  it.each([
    ['cruddur.example', { address: 'cruddur.example' }],
    ['cruddur.example:4567', { address: 'cruddur.example', port: 4567 }],
    ['127.0.0.1:80', { address: '127.0.0.1', port: 80 }],
    ['[::1]:4567', { address: '::1', port: 4567 }],
    ['[2001:db8::1]', { address: '2001:db8::1' }],
    ['2001:db8::1', { address: '2001:db8::1' }],
    [' host:0x50 ', { address: 'host' }],
    ['host:99999', { address: 'host' }],
    ['host:+80', { address: 'host' }],
    ['host:', { address: 'host' }],
  ])('reads %j', (value, endpoint) => {
    expect(parseEndpoint(value)).toEqual(endpoint);
  });

  it.each([undefined, '', '   ', ':80', '[::1', '[]:80'])('gives nothing for %j', (value) => {
    expect(parseEndpoint(value)).toBeUndefined();
  });
});

describe('requestAttributes', () => {
  it("takes the server from Host, with the scheme's port when it names none, and the client from the socket", () => {
    expect(requestAttributes(incoming('/api/activities/home', { host: 'localhost' }))).toMatchObject({
      'url.scheme': 'http',
      'server.address': 'localhost',
      'server.port': 80,
      'client.address': '10.0.0.7',
      'network.peer.address': '10.0.0.7',
      'network.peer.port': 51234,
    });
  });

  it('takes the client, host and scheme the first proxy saw from Forwarded, before the X-Forwarded headers', () => {
    const attributes = requestAttributes(
      incoming('/', {
        host: 'gateway:4567',
        forwarded: 'for="[2001:db8::1]:4711";host=cruddur.example;proto=https, for=10.0.0.1',
        'x-forwarded-for': '203.0.113.9',
      }),
    );
    expect(attributes).toMatchObject({ 'client.address': '2001:db8::1', 'server.address': 'cruddur.example', 'server.port': 443, 'url.scheme': 'https' });
    expect(attributes['network.peer.address']).toBe('10.0.0.7');
  });

  it('takes them from X-Forwarded-For, -Host and -Proto without Forwarded, the first entry of each', () => {
    const attributes = requestAttributes(
      incoming('/', { host: 'gateway:4567', 'x-forwarded-for': '[2001:db8::2]:443, 10.0.0.1', 'x-forwarded-host': 'cruddur.example:8443', 'x-forwarded-proto': 'https' }),
    );
    expect(attributes).toMatchObject({ 'client.address': '2001:db8::2', 'server.address': 'cruddur.example', 'server.port': 8443, 'url.scheme': 'https' });
  });

  it('leaves out a server it cannot read', () => {
    const attributes = requestAttributes(incoming('/', { host: ':4567' }));
    expect(attributes['server.address']).toBeUndefined();
    expect(attributes['server.port']).toBeUndefined();
  });

  it('redacts the credentials of a pre-signed URL in the query, and only those', () => {
    const attributes = requestAttributes(incoming('/api/activities/search?term=sig&sig=abc&Signature=def&X-Goog-Signature=g&AWSAccessKeyId=k&signature=kept', {}));
    expect(attributes['url.query']).toBe('term=sig&sig=REDACTED&Signature=REDACTED&X-Goog-Signature=REDACTED&AWSAccessKeyId=REDACTED&signature=kept');
    expect(attributes['url.path']).toBe('/api/activities/search');
  });

  it('records a method the conventions do not name as _OTHER, with the method as sent', () => {
    expect(requestAttributes(incoming('/', {}, 'PROPFIND'))).toMatchObject({ 'http.request.method': '_OTHER', 'http.request.method_original': 'PROPFIND' });
    expect(requestAttributes(incoming('/', {}, 'QUERY'))['http.request.method_original']).toBeUndefined();
  });
});
