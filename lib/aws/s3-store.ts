/** ObjectStore over S3 (or the local S3 emulator), plus presigned URLs for uploads and downloads. */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { ObjectStore, PostLimits, PresignedPostForm } from "../ports.ts";

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async getStream(key: string): Promise<AsyncIterable<Uint8Array>> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`empty body for s3://${this.bucket}/${key}`);
    return out.Body as AsyncIterable<Uint8Array>;
  }

  async getBytes(key: string): Promise<Uint8Array> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!out.Body) throw new Error(`empty body for s3://${this.bucket}/${key}`);
    return out.Body.transformToByteArray();
  }

  async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (
        (err as { name?: string }).name === "NotFound" ||
        (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404
      )
        return false;
      throw err;
    }
  }

  /**
   * A form the holder can POST one object with, to this key only, until it expires. The policy
   * binds the content type and bounds the size (content-length-range), which a presigned PUT
   * cannot: S3 refuses anything else before storing it.
   */
  presignPost(key: string, seconds: number, limits: PostLimits): Promise<PresignedPostForm> {
    return createPresignedPost(this.s3, {
      Bucket: this.bucket,
      Key: key,
      Expires: seconds,
      Fields: { "Content-Type": limits.contentType },
      Conditions: [["content-length-range", 0, limits.maxBytes]],
    });
  }

  presignGet(key: string, seconds: number, fileName?: string): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(fileName
          ? { ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` }
          : {}),
      }),
      { expiresIn: seconds },
    );
  }
}
