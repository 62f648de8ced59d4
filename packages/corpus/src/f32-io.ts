// Float32 little-endian on disk, whatever the host order.
import * as os from 'os';

export const HOST_LE = os.endianness() === 'LE';

/** Bytes of `data` in little-endian order (a view when the host is LE, a swapped copy otherwise). */
export function f32ToLeBytes(data: Float32Array): Buffer {
  const view = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return HOST_LE ? view : Buffer.from(view).swap32();
}

/** Fixes host order in place after reading LE bytes into `data`'s memory. */
export function leBytesToF32InPlace(data: Float32Array): void {
  if (!HOST_LE) Buffer.from(data.buffer, data.byteOffset, data.byteLength).swap32();
}
