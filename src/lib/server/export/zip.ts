/**
 * A small deterministic zip writer for generated xlsx files: entries keep the order they are added
 * in, every entry carries one fixed DOS date, compression is fflate's (pure JS: the same bytes on
 * every machine, unlike a native zlib that may pick CPU-specific code paths). Entries can be
 * compressed once and reused across many files (a workbook template's static parts), or streamed
 * in pieces (a big sheet) without holding its uncompressed text.
 */
import { crc32 } from 'node:zlib';
import { AsyncDeflate, Deflate, deflateSync, strToU8 } from 'fflate';

export interface ZipEntry {
	name: string;
	crc: number;
	size: number;
	/** raw deflate data */
	data: Uint8Array[];
	compressedSize: number;
}

const LEVEL = 6;
/** Big streamed sheets: level 1 is about twice as fast in fflate and ~15% larger; small parts keep 6. */
const STREAM_LEVEL = 1;
// 2000-01-01 00:00:00 as a DOS date/time (the same fixed date normalizeZip uses).
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;

export function deflateEntry(name: string, content: Uint8Array | string): ZipEntry {
	const bytes = typeof content === 'string' ? strToU8(content) : content;
	const data = deflateSync(bytes, { level: LEVEL });
	return { name, crc: crc32(bytes) >>> 0, size: bytes.length, data: [data], compressedSize: data.length };
}

/**
 * Text gathered into pieces of about 1 MB for a deflate, with the CRC and size of what was taken.
 * StreamedEntry and ThreadedEntry both cut here, so their deflates see the same pieces and give the
 * same bytes.
 */
class TextPieces {
	crc = 0;
	size = 0;
	private pending: string[] = [];
	private pendingLength = 0;
	/** Adds text; true when a piece is due. */
	add(text: string): boolean {
		this.pending.push(text);
		this.pendingLength += text.length;
		return this.pendingLength > 1 << 20;
	}
	/** The gathered text as one piece of bytes. */
	take(): Uint8Array {
		const bytes = strToU8(this.pending.join(''));
		this.pending = [];
		this.pendingLength = 0;
		this.crc = crc32(bytes, this.crc) >>> 0;
		this.size += bytes.length;
		return bytes;
	}
}

/** An entry compressed piece by piece: push text as it is produced, then end() gives the entry. */
export class StreamedEntry {
	private text = new TextPieces();
	private chunks: Uint8Array[] = [];
	private compressed = 0;
	private deflate = new Deflate({ level: STREAM_LEVEL }, (chunk) => {
		this.chunks.push(chunk);
		this.compressed += chunk.length;
	});
	constructor(readonly name: string) {}
	push(text: string) {
		if (this.text.add(text)) this.deflate.push(this.text.take(), false);
	}
	end(): ZipEntry {
		this.deflate.push(this.text.take(), true);
		return { name: this.name, crc: this.text.crc, size: this.text.size, data: this.chunks, compressedSize: this.compressed };
	}
}

/** Bytes handed to a ThreadedEntry's worker and not yet compressed, at most (back-pressure). */
const MAX_QUEUED = 8 << 20;

/**
 * As StreamedEntry, but the deflate runs on a worker thread (fflate's AsyncDeflate: the same
 * Deflate code fed the same pieces with the same flags, so the same bytes as StreamedEntry; a
 * test checks it). The caller's thread keeps producing text meanwhile: for a sheet of ~500,000 rows
 * compression is most of the work. `push` waits while more than MAX_QUEUED bytes wait for the worker.
 */
export class ThreadedEntry {
	private text = new TextPieces();
	private chunks: Uint8Array[] = [];
	private compressed = 0;
	private failure: Error | null = null;
	private finished = false;
	private waiters: (() => void)[] = [];
	private done: Promise<void>;
	private deflate: AsyncDeflate;
	constructor(readonly name: string) {
		let finish!: () => void;
		let fail!: (e: Error) => void;
		this.done = new Promise<void>((res, rej) => {
			finish = res;
			fail = rej;
		});
		this.done.catch(() => undefined); // awaited in end()
		this.deflate = new AsyncDeflate({ level: STREAM_LEVEL }, (err, chunk, final) => {
			if (err) {
				this.failure ??= new Error(`deflate worker: ${err.message}`);
				this.wake();
				fail(this.failure);
				return;
			}
			this.chunks.push(chunk);
			this.compressed += chunk.length;
			if (final) {
				this.finished = true;
				finish();
			}
		});
		this.deflate.ondrain = () => {
			if (this.deflate.queuedSize <= MAX_QUEUED) this.wake();
		};
	}
	private wake() {
		const w = this.waiters;
		this.waiters = [];
		for (const f of w) f();
	}
	async push(text: string): Promise<void> {
		if (this.failure) throw this.failure;
		if (this.text.add(text)) {
			this.deflate.push(this.text.take(), false);
			while (this.deflate.queuedSize > MAX_QUEUED && !this.failure) await new Promise<void>((r) => this.waiters.push(r));
			if (this.failure) throw this.failure;
		}
	}
	async end(): Promise<ZipEntry> {
		if (this.failure) throw this.failure;
		this.deflate.push(this.text.take(), true);
		await this.done;
		return { name: this.name, crc: this.text.crc, size: this.text.size, data: this.chunks, compressedSize: this.compressed };
	}
	/** Stops the worker (an abandoned file); a finished entry's worker has already ended. */
	close() {
		if (!this.finished) this.deflate.terminate();
		this.finished = true;
	}
}

/**
 * The fields a local header (at 4) and its central directory entry (at 6) share, in the same order:
 * version needed, flags, method (deflate), DOS time and date, CRC, sizes, name length.
 */
function writeFileFields(b: Buffer, at: number, e: ZipEntry, flags: number, nameLength: number): void {
	b.writeUInt16LE(20, at);
	b.writeUInt16LE(flags, at + 2);
	b.writeUInt16LE(8, at + 4);
	b.writeUInt16LE(DOS_TIME, at + 6);
	b.writeUInt16LE(DOS_DATE, at + 8);
	b.writeUInt32LE(e.crc, at + 10);
	b.writeUInt32LE(e.compressedSize, at + 14);
	b.writeUInt32LE(e.size, at + 18);
	b.writeUInt16LE(nameLength, at + 22);
}

/** The zip file's bytes: local headers and data, central directory, end record (no zip64: < 4 GB). */
export function zipEntries(entries: ZipEntry[]): Buffer {
	const parts: Uint8Array[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
		const name = Buffer.from(e.name, 'utf8');
		const flags = /[^\x20-\x7e]/.test(e.name) ? 0x0800 : 0;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		writeFileFields(local, 4, e, flags, name.length);
		parts.push(local, name, ...e.data);
		const c = Buffer.alloc(46);
		c.writeUInt32LE(0x02014b50, 0);
		c.writeUInt16LE(20, 4); // version made by
		writeFileFields(c, 6, e, flags, name.length);
		c.writeUInt32LE(offset, 42);
		central.push(c, name);
		offset += 30 + name.length + e.compressedSize;
	}
	const cdSize = central.reduce((s, b) => s + b.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(cdSize, 12);
	end.writeUInt32LE(offset, 16);
	if (offset > 0xffffffff || entries.length > 0xffff) throw new RangeError('zip too large for a non-zip64 archive');
	return Buffer.concat([...parts, ...central, end]);
}
