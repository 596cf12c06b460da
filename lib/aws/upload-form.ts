/**
 * Sends a file to a presigned POST form the way a browser form does: the policy's fields first,
 * in order, then the file as the last part (S3 ignores fields after the file). Used by
 * `dangjian upload`, by the portal when a browser runs no script, and by the tests.
 */
export interface UploadForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
}

export async function postUploadForm(
  form: UploadForm,
  bytes: Uint8Array,
  fileName: string,
): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  const type = form.fields["Content-Type"] ?? "application/octet-stream";
  body.append("file", new Blob([new Uint8Array(bytes)], { type }), fileName);
  return fetch(form.url, { method: "POST", body });
}
