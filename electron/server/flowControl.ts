/**
 * HTTP/2 flow-control windows for the gRPC front end.
 *
 * HTTP/2 starts every connection and stream with a 64 KiB receive window; the receiver has to send
 * WINDOW_UPDATE frames before the sender may go on. grpc-js's server never widens them (it has no
 * option for it), so a 2.7 MB frame reached the server in ~40 window-sized pieces, each waiting for
 * both event loops. Triton's server (gRPC C-core) grows its windows to the bandwidth-delay product
 * instead. Measured on this machine (grpc-js client and server in two processes, 2.7 MB request,
 * 857 KB response, 600 calls): median 7.3 ms with 64 KiB windows, 4.5 ms with 8 MiB server windows,
 * 2.8 ms with 8 MiB windows on both ends (the client's: electron/triton/connection.ts).
 *
 * grpc-js keeps its HTTP/2 server options and servers in private fields; this reaches them by name.
 * The lock file pins grpc-js, and test/server/flow-control.test.ts fails if they move. If they are
 * missing, the server runs with the default windows and logs once why.
 */
import type * as grpc from '@grpc/grpc-js';
import type * as http2 from 'node:http2';

/** Receive window of each connection and stream: larger than a 1x3x360x640 FP32 frame. */
export const FLOW_CONTROL_WINDOW_BYTES = 8 * 1024 * 1024;

interface GrpcServerInternals {
  commonServerOptions?: http2.ServerOptions;
  http2Servers?: Map<http2.Http2Server, unknown>;
}

/** Before bindAsync: the window each stream starts with (SETTINGS_INITIAL_WINDOW_SIZE). */
export function widenStreamWindows(server: grpc.Server, log: (message: string) => void): void {
  const internals = server as unknown as GrpcServerInternals;
  if (!internals.commonServerOptions) {
    log('flow control: grpc-js internals changed (no commonServerOptions); HTTP/2 stream windows stay 64 KiB');
    return;
  }
  internals.commonServerOptions.settings = {
    ...internals.commonServerOptions.settings,
    initialWindowSize: FLOW_CONTROL_WINDOW_BYTES,
  };
}

/** After bindAsync: each new connection's own window (stream 0), which SETTINGS cannot change. */
export function widenConnectionWindows(server: grpc.Server, log: (message: string) => void): void {
  const servers = (server as unknown as GrpcServerInternals).http2Servers;
  if (!(servers instanceof Map) || servers.size === 0) {
    log('flow control: grpc-js internals changed (no http2Servers); HTTP/2 connection windows stay 64 KiB');
    return;
  }
  for (const http2Server of servers.keys()) {
    http2Server.on('session', (session: http2.ServerHttp2Session) => {
      // setLocalWindowSize needs the session's nghttp2 handle, which exists once it is set up
      const widen = () => {
        if (!session.destroyed) session.setLocalWindowSize(FLOW_CONTROL_WINDOW_BYTES);
      };
      if (session.connecting) session.once('connect', widen);
      else widen();
    });
  }
}
