// A pass-through stream between node:tls and the TCP socket that keeps a copy of the bytes the
// server sends during the handshake. Node 20 does not tell a client whether the server sent a
// CertificateRequest, nor which certificates the server really sent (getPeerCertificate(true)
// appends the trusted root from the local store): both are read from these bytes (wire.ts).
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

/** More than any real handshake flight; past it the copy stops (the probe then says "unknown"). */
const MAX_RECORDED = 512 * 1024;

export class TapStream extends Duplex {
  private readonly chunks: Buffer[] = [];
  private recorded = 0;
  private recording = true;

  constructor(private readonly inner: Socket) {
    super();
    inner.on('data', (chunk: Buffer) => {
      if (this.recording) {
        if (this.recorded + chunk.length <= MAX_RECORDED) this.chunks.push(chunk);
        else this.recording = false;
        this.recorded += chunk.length;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (e) => this.destroy(e));
    inner.on('close', () => {
      if (!this.destroyed) this.push(null);
    });
  }

  /** The server's bytes so far; undefined when the copy overflowed. */
  received(): Buffer | undefined {
    return this.recorded <= MAX_RECORDED ? Buffer.concat(this.chunks) : undefined;
  }

  /** After the handshake the copy is no longer needed. */
  stopRecording(): void {
    this.recording = false;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.inner.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner.destroy();
    callback(error);
  }
}
