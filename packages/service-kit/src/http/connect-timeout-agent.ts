import { Agent, type AgentOptions, type ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** The code a connection attempt that ran out of time fails with (Node's own sockets have no connect timeout). */
export const CONNECT_TIMEOUT_CODE = 'ECONNECTTIMEOUT';

/**
 * An HTTP agent whose new connections must be established within `connectTimeoutMs`, or fail
 * with CONNECT_TIMEOUT_CODE. Node gives a TCP connect as long as the kernel retries its SYN
 * (over two minutes); to a pod whose node is gone no answer ever comes, and the call would
 * sit until the whole call's timeout. Failing the connect early leaves time to try once more
 * on a new connection, which the Service routes to a surviving replica (client.ts). A failed
 * connect sent nothing, so the retry is safe for any call.
 */
export class ConnectTimeoutAgent extends Agent {
  constructor(
    private readonly connectTimeoutMs: number,
    options: AgentOptions = {},
  ) {
    super(options);
  }

  override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = super.createConnection(options, callback) as Socket | null | undefined;
    if (!socket || !socket.connecting) return socket;
    const timer = setTimeout(() => {
      const error = Object.assign(new Error(`could not connect within ${this.connectTimeoutMs} ms`), { code: CONNECT_TIMEOUT_CODE });
      socket.destroy(error);
    }, this.connectTimeoutMs);
    const settled = () => clearTimeout(timer);
    socket.once('connect', settled);
    socket.once('close', settled);
    return socket;
  }
}
