/**
 * S3-compatible storage (AWS S3, Cloudflare R2, Backblaze B2, MinIO) through the official AWS SDK v3: the one
 * module that imports it. Archives go up as a multipart upload read from a stream in fixed-size parts, so memory
 * stays bounded whatever the database size; S3 shows a multipart object only once the upload is completed.
 */
import { PassThrough, type Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { ProviderError } from '../errors.js';
import type { Destination } from './destination.js';

export interface S3DestinationOptions {
  bucket: string;
  prefix?: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

const PART_SIZE = 8 * 1024 * 1024;

const missing = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404;
};

/**
 * An S3 call that failed (no such bucket, access denied, endpoint unreachable) as a ProviderError naming the object
 * and the service's reason: thrown raw, the SDK's error was reported as a bug in opsbook (exit 70, stack trace).
 */
function s3Failure(error: unknown, what: string): ProviderError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const reason = e.message || e.name || String(error);
  return new ProviderError('s3', `${what} failed: ${reason}`, e.$metadata?.httpStatusCode);
}

/** A missing bucket answers 404 too: that is a wrong config, not an object that is not there. */
const noBucket = (error: unknown) => (error as { name?: string }).name === 'NoSuchBucket';

export function s3Destination(options: S3DestinationOptions): Destination {
  // The SDK warns on every run under Node 20 about its future releases; opsbook supports Node 20 and pins the SDK.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const client = new S3Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    ...(options.accessKeyId && options.secretAccessKey
      ? { credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } }
      : {}),
    // R2, B2 and older S3-compatible servers reject the newer default checksum headers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const prefix = options.prefix ? `${options.prefix.replace(/\/+$/, '')}/` : '';
  const Bucket = options.bucket;
  const full = (key: string) => `${prefix}${key}`;
  const where = (key: string) => `s3://${Bucket}/${full(key)}`;

  return {
    describe: `s3://${Bucket}/${prefix}`,
    async create(key) {
      const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
      const upload = new Upload({
        client,
        params: { Bucket, Key: full(key), Body: stream },
        partSize: PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      const done = upload.done();
      done.catch(() => {});
      return {
        stream,
        async commit() {
          await done;
        },
        async abort() {
          // Once the stream has ended, the last request (a small archive's single PutObject, or the completion) is
          // on its way: aborting the client side would not stop the server storing it after the caller's remove().
          // Let it finish instead, so the remove() that follows comes last and a failed backup leaves nothing.
          if (!stream.writableEnded) {
            stream.destroy();
            await upload.abort().catch(() => {});
          }
          await done.catch(() => {});
        },
      };
    },
    async read(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket, Key: full(key) }));
        return out.Body as Readable;
      } catch (error) {
        if (missing(error) && !noBucket(error)) return undefined;
        throw s3Failure(error, `reading ${where(key)}`);
      }
    },
    async size(key) {
      try {
        return (await client.send(new HeadObjectCommand({ Bucket, Key: full(key) }))).ContentLength;
      } catch (error) {
        // A HEAD answer has no body: a missing bucket cannot be told from a missing object here.
        if (missing(error)) return undefined;
        throw s3Failure(error, `reading the size of ${where(key)}`);
      }
    },
    async putText(key, text) {
      await client
        .send(new PutObjectCommand({ Bucket, Key: full(key), Body: text, ContentType: 'application/json' }))
        .catch((error) => {
          throw s3Failure(error, `writing ${where(key)}`);
        });
    },
    async getText(key) {
      const body = await this.read(key);
      if (!body) return undefined;
      const chunks: Buffer[] = [];
      for await (const c of body) chunks.push(Buffer.from(c));
      return Buffer.concat(chunks).toString('utf8');
    },
    async list(start) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client
          .send(new ListObjectsV2Command({ Bucket, Prefix: full(start), ContinuationToken: token }))
          .catch((error) => {
            throw s3Failure(error, `listing ${where(start)}`);
          });
        for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key.slice(prefix.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: full(key) })).catch((error) => {
        throw s3Failure(error, `deleting ${where(key)}`);
      });
    },
  };
}
