#!/usr/bin/env node
// The mutation campaign, longer than the one `npm test` runs: builds the site, then runs
// e2e/fuzz.spec.ts over thousands of seeded mutants (see that file). A new seed each run unless
// one is given, so that nightly runs cover new ground; the seed is printed, and a failure prints
// the command that replays its mutant.
//
//   npm run fuzz                                  3000 mutants of a new seed
//   npm run fuzz -- --seed 7 --count 500          a chosen campaign
//   npm run fuzz -- --seed 7 --from 123 --count 1 one mutant again
//   npm run fuzz -- --no-build --workers 1        extra arguments go to Playwright
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';

// Not strict: the arguments it does not know are Playwright's (see passOn below).
const { values } = parseArgs({
  options: {
    seed: { type: 'string' },
    count: { type: 'string' },
    from: { type: 'string' },
    'no-build': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
  allowPositionals: true,
  strict: false,
});

if (values.help) {
  console.log(`Usage: npm run fuzz -- [--seed N] [--count N] [--from N] [--no-build] [Playwright arguments]

Hot-swaps seeded mutants of the example and fixture modules over the running counter in
Chromium and checks that each is refused with its reason or is valid and serving.
  --seed N     campaign seed (default: a new random one, printed)      HOTWASM_FUZZ_SEED
  --count N    number of mutants (default 3000)                        HOTWASM_FUZZ_COUNT
  --from N     index of the first mutant (default 0)                   HOTWASM_FUZZ_FROM
  --no-build   use the dist/ already built`);
  process.exit(0);
}

const pick = (flag, name, fallback) => {
  const text = values[flag] ?? process.env[name] ?? fallback;
  if (!/^\d+$/.test(String(text))) {
    console.error(`fuzz: --${flag} must be a non-negative integer, got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return String(text);
};
const seed = pick('seed', 'HOTWASM_FUZZ_SEED', String(randomInt(2 ** 31)));
const count = pick('count', 'HOTWASM_FUZZ_COUNT', '3000');
const from = pick('from', 'HOTWASM_FUZZ_FROM', '0');
// Anything parseArgs did not know (e.g. --workers 1) is handed to Playwright as it was typed.
const withValue = new Set(['--seed', '--count', '--from']);
const passOn = [];
for (let i = 2; i < process.argv.length; i++) {
  const arg = process.argv[i];
  const flag = arg.split('=')[0];
  if (withValue.has(flag)) {
    if (!arg.includes('=')) i++; // its value is the next argument
  } else if (flag !== '--no-build' && flag !== '--help' && flag !== '-h') {
    passOn.push(arg);
  }
}

const run = (command, args, env = {}) => {
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result.status ?? 1;
};

console.log(`fuzz: seed ${seed}, mutants ${from}–${Number(from) + Number(count) - 1}`);
if (!values['no-build'] && run('npx', ['vite', 'build', '--logLevel', 'warn']) !== 0) process.exit(1);
const status = run('npx', ['playwright', 'test', 'e2e/fuzz.spec.ts', ...passOn], { HOTWASM_FUZZ_SEED: seed, HOTWASM_FUZZ_COUNT: count, HOTWASM_FUZZ_FROM: from });
console.log(`fuzz: seed ${seed} ${status === 0 ? 'passed' : 'FAILED (the replay command is in the error above)'}`);
process.exit(status);
