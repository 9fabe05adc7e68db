import { CustomErrorBase } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Options of {@link readRegularFile} and {@link readRegularFileSync}.
 *
 * @public
 */
export interface ReadRegularFileOptions {
  /**
   * The directory the file must really be in: a symbolic link that resolves outside it is
   * refused. Default: links are followed wherever they go.
   */
  root?: string;
  /** Files larger than this many bytes are refused. Default: no limit. */
  maxSize?: number;
  /** How the file is named in errors, for example its path relative to a workspace. */
  displayPath?: string;
}

/**
 * Why {@link readRegularFile} refused a file: it is not a regular file (a FIFO, socket, device or
 * directory), it is a symbolic link out of the root or a loop of links, or it is over the limit.
 *
 * @public
 */
export class UnreadableFileError extends CustomErrorBase {
  /** Constant, for telling this error apart after serialization. */
  name = 'UnreadableFileError' as const;
}

/**
 * What a file is, in words, when it is not a regular file; `undefined` for a regular file.
 *
 * @public
 */
export function describeFileType(
  stat: fs.Stats | fs.Dirent,
): string | undefined {
  if (stat.isFile()) {
    return undefined;
  }
  if (stat.isFIFO()) {
    return 'a FIFO (named pipe)';
  }
  if (stat.isSocket()) {
    return 'a socket';
  }
  if (stat.isCharacterDevice()) {
    return 'a character device';
  }
  if (stat.isBlockDevice()) {
    return 'a block device';
  }
  if (stat.isDirectory()) {
    return 'a directory';
  }
  if (stat.isSymbolicLink()) {
    return 'a symbolic link';
  }
  return 'a special file';
}

/**
 * Whether `target` is `root` or inside it; both must be absolute, real paths.
 *
 * @public
 */
export function isPathInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

// A FIFO opened for reading without a writer blocks a libuv thread (or, synchronously, the event
// loop) until one appears; O_NONBLOCK makes open return at once, and the fstat below refuses it.
// O_NOFOLLOW closes the race of a link swapped in after realpath. See docs/architecture.md.
const OPEN_FLAGS =
  fs.constants.O_RDONLY |
  (fs.constants.O_NONBLOCK ?? 0) |
  (fs.constants.O_NOFOLLOW ?? 0);

const READ_CHUNK = 64 * 1024;

function unreadable(name: string, problem: string): UnreadableFileError {
  return new UnreadableFileError(`Cannot read ${name}: it is ${problem}`);
}

/** Maps what realpath or open threw to a clear error; ENOENT and the like pass through. */
function explain(error: unknown, name: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ELOOP') {
    return unreadable(name, 'a loop of symbolic links');
  }
  if (code === 'ENXIO' || code === 'EOPNOTSUPP') {
    return unreadable(name, 'a socket, not a regular file');
  }
  return error;
}

function checkPath(
  real: string,
  stat: fs.Stats,
  name: string,
  options: ReadRegularFileOptions,
  realRoot: string | undefined,
): void {
  if (realRoot !== undefined && !isPathInside(realRoot, real)) {
    throw unreadable(name, 'a symbolic link that points outside the directory');
  }
  const type = describeFileType(stat);
  if (type) {
    throw unreadable(name, `${type}, not a regular file`);
  }
  if (options.maxSize !== undefined && stat.size > options.maxSize) {
    throw unreadable(name, `larger than the limit of ${options.maxSize} bytes`);
  }
}

function tooLarge(length: number, options: ReadRegularFileOptions): boolean {
  return options.maxSize !== undefined && length > options.maxSize;
}

/**
 * Reads a file only when it is a regular file: FIFOs, sockets and devices are refused before they
 * are opened (so a read never hangs), a link that resolves outside `root` is refused, and a file
 * swapped for a link or a special file between the check and the read is refused too.
 *
 * @returns the content
 * @throws UnreadableFileError naming the file when it is refused; the file system's own error
 *   (`ENOENT`, …) when it cannot be reached
 * @public
 */
export async function readRegularFile(
  file: string,
  options: ReadRegularFileOptions = {},
): Promise<Buffer> {
  const name = options.displayPath ?? file;
  let real: string;
  let realRoot: string | undefined;
  try {
    real = await fs.promises.realpath(file);
    realRoot =
      options.root === undefined
        ? undefined
        : await fs.promises.realpath(options.root);
  } catch (error) {
    throw explain(error, name);
  }
  checkPath(real, await fs.promises.lstat(real), name, options, realRoot);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(real, OPEN_FLAGS);
  } catch (error) {
    throw explain(error, name);
  }
  try {
    checkPath(real, await handle.stat(), name, options, realRoot);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read(
        Buffer.allocUnsafe(READ_CHUNK),
        0,
        READ_CHUNK,
        null,
      );
      if (bytesRead === 0) {
        break;
      }
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (tooLarge(length, options)) {
        throw unreadable(
          name,
          `larger than the limit of ${options.maxSize} bytes`,
        );
      }
    }
    return Buffer.concat(chunks, length);
  } finally {
    await handle.close();
  }
}

/**
 * The synchronous form of {@link readRegularFile}, for evidence read while the engine evaluates.
 *
 * @public
 */
export function readRegularFileSync(
  file: string,
  options: ReadRegularFileOptions = {},
): Buffer {
  const name = options.displayPath ?? file;
  let real: string;
  let realRoot: string | undefined;
  try {
    real = fs.realpathSync(file);
    realRoot =
      options.root === undefined ? undefined : fs.realpathSync(options.root);
  } catch (error) {
    throw explain(error, name);
  }
  checkPath(real, fs.lstatSync(real), name, options, realRoot);
  let fd: number;
  try {
    fd = fs.openSync(real, OPEN_FLAGS);
  } catch (error) {
    throw explain(error, name);
  }
  try {
    checkPath(real, fs.fstatSync(fd), name, options, realRoot);
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      const bytesRead = fs.readSync(fd, buffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) {
        break;
      }
      chunks.push(buffer.subarray(0, bytesRead));
      length += bytesRead;
      if (tooLarge(length, options)) {
        throw unreadable(
          name,
          `larger than the limit of ${options.maxSize} bytes`,
        );
      }
    }
    return Buffer.concat(chunks, length);
  } finally {
    fs.closeSync(fd);
  }
}
