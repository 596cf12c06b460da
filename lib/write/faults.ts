/**
 * Fault injection for the crash tests: the pipeline's ports wrapped so that the n-th write throws
 * CrashInjected after it has been made, as a Lambda killed between two writes would leave things.
 * Set up where the services are built (FAULT_CRASH_AFTER_WRITES) or by a test; never in production.
 */
import { CrashInjected } from "../errors.ts";
import type { ObjectStore, ReturnStore, UploadStore } from "../ports.ts";
import type { PipelineDeps } from "./pipeline.ts";

/** The same deps, crashing right after the `after`-th write (S3 object, upload record or transaction). */
export function crashAfterWrites(deps: PipelineDeps, after: number): PipelineDeps {
  let count = 0;
  const counted = async <T>(write: () => Promise<T>): Promise<T> => {
    const out = await write();
    count++;
    if (count >= after) throw new CrashInjected(count);
    return out;
  };
  const { returns, uploads } = deps.stores;
  const wrappedReturns: ReturnStore = {
    unitReturns: (u, span) => returns.unitReturns(u, span),
    childReturns: (parent, m, units) => returns.childReturns(parent, m, units),
    lastContact: (u, before) => returns.lastContact(u, before),
    allReturns: () => returns.allReturns(),
    reindex: (fix) => returns.reindex(fix),
    applyTransaction: (w, r, u) => counted(() => returns.applyTransaction(w, r, u)),
  };
  const wrappedUploads: UploadStore = {
    putUpload: (record) => counted(() => uploads.putUpload(record)),
    claimUpload: (record) => counted(() => uploads.claimUpload(record)),
    getUpload: (id) => uploads.getUpload(id),
    listUploads: (scope, limit) => uploads.listUploads(scope, limit),
    listFailed: (limit) => uploads.listFailed(limit),
  };
  const o = deps.objects;
  const objects: ObjectStore = {
    getBytes: (key) => o.getBytes(key),
    getStream: (key) => o.getStream(key),
    exists: (key) => o.exists(key),
    presignGet: (key, seconds, name) => o.presignGet(key, seconds, name),
    put: (key, body, type) => counted(() => o.put(key, body, type)),
  };
  return { ...deps, stores: { ...deps.stores, returns: wrappedReturns, uploads: wrappedUploads }, objects };
}
