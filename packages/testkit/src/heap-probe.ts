// Preloaded into a service under test (HEAP_PROBE_ARGS in heap.ts; node --expose-gc): on
// SIGUSR2, a full collection, then the heap still in use, on stderr.
const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error('the heap probe needs node --expose-gc');
process.on('SIGUSR2', () => {
  collect();
  process.stderr.write(`cruddur-live-heap ${process.memoryUsage().heapUsed}\n`);
});
