// DaemonClient runs its server path with plain node: this registers tsx, then loads the
// stand-in daemon, which is TypeScript so that it answers with the protocol's own types.
import 'tsx';
await import('./cliFakeDaemonServer.ts');
