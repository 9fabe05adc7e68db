import { gzipSync } from 'node:zlib';

const BLOCK = 512;

/** Writes `value` as a NUL-terminated octal number into a header field. */
function octal(block: Buffer, offset: number, length: number, value: number) {
  block.write(
    `${value.toString(8).padStart(length - 1, '0')}\0`,
    offset,
    length,
    'ascii',
  );
}

/**
 * One ustar header block. Paths over 100 bytes are split into the prefix (up to 155 bytes) and
 * the name, as ustar allows; longer ones are refused.
 */
function header(name: string, size: number, type: '0' | '5'): Buffer {
  const block = Buffer.alloc(BLOCK);
  let prefix = '';
  let rest = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf('/', name.length - 2);
    prefix = name.slice(0, cut);
    rest = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) > 155 || Buffer.byteLength(rest) > 100) {
      throw new Error(`path is too long for a ustar archive: ${name}`);
    }
  }
  block.write(rest, 0, 100, 'utf8');
  octal(block, 100, 8, type === '5' ? 0o755 : 0o644);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 1_700_000_000);
  block.write('        ', 148, 8, 'ascii');
  block.write(type, 156, 1, 'ascii');
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  block.write(prefix, 345, 155, 'utf8');
  let checksum = 0;
  for (const byte of block) {
    checksum += byte;
  }
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return block;
}

/**
 * A gzipped tar archive built in memory, shaped as GitHub's tarball endpoint answers: every file
 * under one top directory (`owner-repo-sha`), which readers strip.
 */
export function buildTarball(
  topDirectory: string,
  files: Record<string, string>,
): Buffer {
  const parts: Buffer[] = [header(`${topDirectory}/`, 0, '5')];
  for (const [filePath, content] of Object.entries(files)) {
    const data = Buffer.from(content, 'utf8');
    parts.push(header(`${topDirectory}/${filePath}`, data.length, '0'), data);
    const padding = (BLOCK - (data.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
}
