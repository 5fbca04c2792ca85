#!/usr/bin/env node
/**
 * hotwasm: live push from the command line.
 *
 *   hotwasm dev <path>         the playground, building <path> on every save
 *   hotwasm push <file.wasm>   push a build to the running dev server
 *   hotwasm trigger            rebuild now
 *   hotwasm status             what the dev server watches and built
 *   hotwasm check <file.wasm>  conformance to guest ABI v1, statically and run
 *   hotwasm new <dir> --lang   a new guest project from a kit
 *
 * `hotwasm <command> --help` for each. Errors go to stderr with a non-zero exit code
 * (docs/live-push.md#cli); no stack trace for mistakes a person can fix.
 */
import { parseArgs } from 'node:util';
import { check } from './lib/check.mjs';
import { push, status, trigger } from './lib/commands.mjs';
import { dev } from './lib/dev.mjs';
import { newProject } from './lib/new.mjs';
import { CliError, EXIT } from './lib/errors.mjs';

/** @type {Record<string, { summary: string, usage: string, options: any, run(values: any, positionals: string[]): Promise<void> }>} */
const COMMANDS = { new: newProject, dev, check, push, trigger, status };

const USAGE = `hotwasm: hot-reload WebAssembly modules in the browser

usage: hotwasm <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join('\n')}

Run hotwasm <command> --help for its options.`;

async function main(/** @type {string[]} */ argv) {
  const [name, ...rest] = argv;
  if (!name) {
    console.error(USAGE);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`Unknown command ${JSON.stringify(name)}.\n\n${USAGE}`, EXIT.usage);
  /** @type {{ values: Record<string, any>, positionals: string[] }} */
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${name}: ${error instanceof Error ? error.message : error}\nRun hotwasm ${name} --help for its options.`, EXIT.usage);
  }
  if (parsed.values.help) {
    console.log(`usage: ${command.usage}`);
    return EXIT.ok;
  }
  await command.run(parsed.values, parsed.positionals);
  return EXIT.ok;
}

main(process.argv.slice(2)).then(
  (code) => {
    // `dev` keeps running (its server holds the event loop); the others are done.
    if (code !== EXIT.ok) process.exitCode = code;
  },
  (error) => {
    if (error instanceof CliError) {
      console.error(`hotwasm: ${error.message.replace(/^hotwasm: /, '')}`);
      process.exitCode = error.code;
    } else {
      console.error('hotwasm: unexpected error (please report it):', error);
      process.exitCode = EXIT.failed;
    }
  },
);
