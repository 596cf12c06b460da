/**
 * An upload's record is created when the upload is asked for (POST /v1/uploads, or an ops import)
 * and is the authority on it: whose file it is (scope), which key it may arrive under, which API
 * key asked for it. The pipeline checks an arriving object against it (see pipeline.ts).
 */
import type { Month } from "../domain/periods.ts";
import { type UploadFormat, uploadKey } from "../objects.ts";
import type { UploadRecord, UploadStore } from "../ports.ts";

export interface UploadRequest {
  readonly uploadId: string;
  /** The registry node the upload is for (a unit, or a 片区/the root for batch files). */
  readonly scope: string;
  /** The month the upload is filed under (its key); rows may still be for other months. */
  readonly period: Month | string;
  /** The API key that asked for it (its public id), or undefined for an ops import on the servers. */
  readonly issuedBy?: string | undefined;
  readonly fileName?: string | undefined;
  /** The key's suffix (default csv); the content decides how the file is read. */
  readonly format?: UploadFormat | undefined;
  readonly at: Date;
}

/** Records an upload before its object exists and returns the key the object must arrive under. */
export async function issueUpload(
  uploads: Pick<UploadStore, "putUpload">,
  request: UploadRequest,
): Promise<UploadRecord> {
  const at = request.at.toISOString();
  const record: UploadRecord = {
    uploadId: request.uploadId,
    scope: request.scope,
    key: uploadKey(request.scope, request.period, request.uploadId, request.format),
    status: "received",
    receivedAt: at,
    updatedAt: at,
    uploadedBy: request.issuedBy,
    fileName: request.fileName,
  };
  await uploads.putUpload(record);
  return record;
}

/** The Chinese message a unit sees on an upload that failed after every retry. */
export const FAILED_MESSAGE =
  "系统处理该文件时多次出错,未能完成审核,运维人员已收到告警;文件已保存,无需重新填报,处理恢复后将自动重新审核。";
