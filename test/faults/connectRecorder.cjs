// Preloaded into a daemon under test (NODE_OPTIONS=--require): appends every outgoing TCP
// connection's host and port to $FERRET_CONNECT_LOG, so a test can prove where the process went.
const fs = require('node:fs');
const net = require('node:net');

const log = process.env.FERRET_CONNECT_LOG;
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  // Node passes [options, callback] as one array internally, or (options | port, host?, callback?).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const target = typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  // A pipe or socket file has a path and no port. node:http passes its request path as `path` too, so
  // only the port tells TCP apart; skipping every `path` would miss all node:http connections.
  if (log && target.port !== undefined && target.port !== null) fs.appendFileSync(log, `${JSON.stringify({ host: target.host ?? 'localhost', port: target.port })}\n`);
  return connect.apply(this, args);
};
