/**
 * Tuning constants: every number here was chosen by a measurement, written beside it with the
 * machine it was taken on. Where a figure depends on one of these being right for one machine,
 * the design is what to revisit (see docs/architecture.md), not the constant.
 *
 * "The benchmark machine" is the project's 2-vCPU VM (AMD EPYC, Debian 12, headless Chromium
 * 156), measured with `npm run bench` unthrottled and with the CPU throttled 4×.
 */

/**
 * How long work a cutover leaves behind waits (the displaced worker's retirement, the first
 * checkpoint of the new version), unless the next update starts first. Traced on the benchmark
 * machine, a worker stopped at the cutover delayed the new version's first answer by up to
 * 2 ms; waiting took 100 KiB updates from 7.1 to 5.1 ms. Correctness does not depend on it.
 */
export const SETTLE_MS = 100;

/**
 * A fresh spare worker is started this long after the last load settled, so that its start-up
 * (script, warm-up) does not compete with that load's first calls for the cores.
 */
export const SPARE_START_DELAY_MS = 50;

/**
 * Spare workers kept ready: fresh ones, warmed up, and workers of retired versions, warm from
 * real use. Two cover an update that follows the previous one at once (measured: 0 ms between
 * updates took a cold worker with one spare: 25–30 ms instead of 4–5 ms for 100 KiB).
 */
export const SPARE_WORKERS = 2;

/**
 * A retired version's worker becomes a spare only if it made at most this many instances in its
 * life (the warm-up's included): each holds a WebAssembly memory until that worker's garbage
 * collector runs, which an idle worker does not do (see src/core/spares.ts), and Chromium allows
 * about 120 per page. With two spares, the spares hold at most 16. A fresh worker (3 from its
 * warm-up) then serves about five updates before one is started again: starting one costs the
 * page 5–7 ms of main-thread time on the benchmark machine.
 */
export const RECYCLE_MAX_INSTANCES = 8;

/** The WebAssembly instances a spare's warm-up makes (src/worker/warm-up.ts; its test checks). */
export const WARM_UP_INSTANCES = 3;

/**
 * Writes refused for want of room are sent again on their own, first this long after the
 * refusal, then at twice the wait each time up to ROOM_RETRY_MAX_MS: Chromium gives back the room
 * of deleted IndexedDB data only when it compacts its files, which it does at a time of its own
 * choosing (seen on the benchmark machine: not within a minute of a prune, with the page open).
 * A prune retries at once and starts the waits again from the first.
 */
export const ROOM_RETRY_FIRST_MS = 2_000;
export const ROOM_RETRY_MAX_MS = 60_000;

/** Call statistics change with every call: status events carry them at most this often. */
export const STATUS_THROTTLE_MS = 200;

/**
 * The RPC watchdog's period. A timeout is noticed at most this late; a timer tick that comes
 * much later than this means the page itself was stalled, and that time is not held against
 * the request (see RpcClient.check).
 */
export const WATCHDOG_MS = 25;

/**
 * A request that has run this long shows in the module's status as what keeps it busy (the
 * Status panel's State says "busy", not "healthy"). For people only, so no call that answers in
 * a blink makes it flicker; nothing depends on it being right.
 */
export const BUSY_AFTER_MS = 1000;

/**
 * Warm-up of a fresh spare worker: rounds of an update's requests on a throwaway module. Measured
 * on the benchmark machine, a 100 KiB update took 4.6–5.5 ms after 2 rounds, 2.8 ms after 4,
 * 2.3–2.5 ms after 8. Each round yields to the worker's event loop between requests, and the
 * warm-up stops as soon as real work arrives.
 */
export const WARM_UP_ROUNDS = 8;

/** Guest output is sent to the page when this much has piled up during a long call… */
export const OUTPUT_FLUSH_CHARS = 16 * 1024;
/** …or when this long has passed since the last send. */
export const OUTPUT_FLUSH_MS = 50;
