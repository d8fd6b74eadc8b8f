// Load for the serving benchmark: autocannon in this process, closed loop (each connection
// sends its next request when the previous answer arrives), on loopback. Latency percentiles
// are computed from every response time autocannon reports, because its own histogram counts
// whole milliseconds and a 5 ms target needs finer than that.
import autocannon from 'autocannon';

/** A request unanswered this long is given up (and its connection reopened). */
const TIMEOUT_SECONDS = 10;

/** The `p` quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank];
}

/**
 * A timed-out request counts in the percentiles as answered at the timeout, so a p99 with
 * timeouts behind it is a lower bound rather than a flattering figure.
 */
function summarize(result, times) {
  for (let i = 0; i < result.timeouts; i++) times.push(TIMEOUT_SECONDS * 1000);
  const sorted = Float64Array.from(times).sort();
  const ok = result['2xx'];
  return {
    seconds: result.duration,
    ok,
    // autocannon counts a timeout as an error too.
    failed: result.non2xx + result.errors - result.timeouts,
    timeouts: result.timeouts,
    statusCodes: Object.keys(result.statusCodeStats ?? {}).join(', '),
    requestsPerSecond: ok / result.duration,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
  };
}

/**
 * Starts POSTing `body` to `url` from `connections` connections for `seconds` (or until
 * stop()). `done` resolves with { seconds, ok, failed, timeouts, requestsPerSecond, p50Ms,
 * p99Ms }: `failed` are answers other than 2xx and connection errors.
 */
export function startLoad({ url, body, connections, seconds }) {
  const times = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
    timeout: TIMEOUT_SECONDS,
  });
  instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTimeMs);
  });
  const done = new Promise((resolve, reject) =>
    instance.then((result) => resolve(summarize(result, times)), reject),
  );
  return { done, stop: () => instance.stop() };
}

/**
 * A whole run of `seconds`; throws if any request failed: a benchmark of errors says nothing.
 * Timeouts are a result (a server that starves some requests), reported, not thrown.
 */
export async function measureLoad(options, label) {
  const result = await startLoad(options).done;
  if (result.failed > 0 || result.ok === 0) {
    throw new Error(
      `${label}: ${result.failed} of ${result.ok + result.failed} requests failed (status codes ${result.statusCodes})`,
    );
  }
  return result;
}
