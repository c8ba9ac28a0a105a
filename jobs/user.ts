/**
 * npm run user -- add --email E --role ops|finance|seller [--seller SELLER_ID] | passwd --email E | list
 * The password comes from PASSWORD or is asked for here (never echoed), then travels with the job
 * (to the running server over loopback when it owns the database).
 */
import readline from 'node:readline';
import { runCli } from './lib/run-cli.ts';
import { userJob } from '../src/lib/server/auth/cli.ts';

async function askPassword(prompt: string): Promise<string> {
	if (!process.stdin.isTTY) {
		// Piped: read one line.
		const rl = readline.createInterface({ input: process.stdin });
		for await (const line of rl) {
			rl.close();
			return line;
		}
		return '';
	}
	process.stderr.write(prompt);
	const stdin = process.stdin;
	stdin.setRawMode(true);
	stdin.resume();
	stdin.setEncoding('utf8');
	return new Promise((resolve) => {
		let pw = '';
		const onData = (ch: string) => {
			for (const c of ch) {
				if (c === '\r' || c === '\n' || c === '\u0004') {
					stdin.setRawMode(false);
					stdin.pause();
					stdin.off('data', onData);
					process.stderr.write('\n');
					resolve(pw);
					return;
				}
				if (c === '\u0003') process.exit(130);
				if (c === '\u007f' || c === '\b') pw = pw.slice(0, -1);
				else pw += c;
			}
		};
		stdin.on('data', onData);
	});
}

export async function main(argv: string[]): Promise<number> {
	let password = process.env.PASSWORD;
	if (password === undefined && (argv[0] === 'add' || argv[0] === 'passwd')) {
		password = await askPassword('Password (at least 8 characters): ');
		if (process.stdin.isTTY) {
			const again = await askPassword('Again: ');
			if (again !== password) {
				console.error('The passwords differ.');
				return 2;
			}
		}
	}
	return runCli('user', argv, userJob, { PASSWORD: password });
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
